"""The tree shows the pipeline: read -> enrich -> render -> files, each a package.

A value walks down the stages and never climbs back: a module may use the
shared records and names (``model``, ``layout``, ``arxiv``) and its own stage,
and from an earlier stage only what is data (a record class, an error, a
constant), never a function to call.  ``pipeline`` and ``cli`` wire the stages;
``sphinxext`` is the Sphinx side, which may use any of them.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from .conftest import ROOT

TOOLS = ROOT / "tools"
STAGES = ("read", "enrich", "render", "files")
SHARED = {"tools.model", "tools.layout", "tools.arxiv"}
# A later stage used by an earlier one, and why.
FORWARD = {("tools.read.metadata", "tools.files.write"):
           "`make metadata` writes metadata.toml atomically, as every generated file is written"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every ``from ... import`` of a file, relative ones resolved."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                if (ROOT / Path(*submodule.split("."))).with_suffix(".py").is_file() or \
                        (ROOT / Path(*submodule.split(".")) / "__init__.py").is_file():
                    found.append((submodule, ["*"]))  # a module: everything in it can be called
                else:
                    found.append((module, [alias.name]))
    return found


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[0] == "tools" and parts[1] in STAGES else None


def test_a_value_never_climbs_back_to_an_earlier_stage():
    climbs = []
    for stage in STAGES:
        for path in sorted((TOOLS / stage).rglob("*.py")):
            here = _module_name(path)
            for module, names in _imports(path):
                own = _stage(module) == STAGES.index(stage)
                if not module.startswith("tools") or module in SHARED or own:
                    continue
                target = _stage(module)
                if target is None:
                    climbs.append(f"{here} imports {module}: not a stage or shared module")
                elif target > STAGES.index(stage):
                    if (here, module) not in FORWARD:
                        climbs.append(f"{here} imports {module}, a later stage")
                else:
                    loaded = importlib.import_module(module)
                    for name in names:
                        if name == "*":
                            climbs.append(f"{here} imports the module {module}")
                            continue
                        value = getattr(loaded, name)
                        if (callable(value) and not isinstance(value, type)) or isinstance(value, type(ast)):
                            climbs.append(f"{here} calls back into {module}.{name}")
    assert climbs == []


def test_every_stage_is_a_package_and_no_two_modules_share_a_name():
    for stage in STAGES:
        assert (TOOLS / stage / "__init__.py").is_file(), stage
    names = [path.stem for path in TOOLS.rglob("*.py") if path.stem not in ("__init__", "__main__")]
    assert sorted(names) == sorted(set(names)), [name for name in names if names.count(name) > 1]
