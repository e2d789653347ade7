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
import inspect
import shutil
import sys
import types
from pathlib import Path

from .conftest import ROOT

TOOLS = ROOT / "tools"
STAGES = ("read", "enrich", "render", "files")
SHARED = {"tools.model", "tools.layout", "tools.arxiv", "tools.memo"}
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


_MUTATORS = {"append", "add", "clear", "discard", "extend", "insert", "pop", "popitem", "remove",
             "setdefault", "update"}


def _module_state_written_by_functions(path: Path) -> list[str]:
    """Module-level names (or their attributes and items) that a function of the module changes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_names = {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(target, ast.Name)}
    module_names |= {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        local = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                found.append(f"{path.name}:{node.lineno}: {type(node).__name__.lower()} {node.names}")
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in _MUTATORS):
                targets = [ast.Attribute(value=node.func.value)]  # changes what it is called on
            for target in targets:
                if isinstance(target, (ast.Attribute, ast.Subscript)):
                    base = target.value
                    while isinstance(base, (ast.Attribute, ast.Subscript)):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id in module_names and base.id not in local:
                        found.append(f"{path.name}:{node.lineno}: changes the module's {base.id}")
    return found


def test_no_module_keeps_state_in_its_globals():
    """State passes as arguments or lives on the build (sphinxext/buildstate.py), never in globals.

    A module global that functions change is shared by every build of a process
    (sphinx.testing, sphinx-autobuild) and hides who hands what to whom.
    """
    found = [line for path in sorted(TOOLS.rglob("*.py"))
             for line in _module_state_written_by_functions(path)]
    assert found == []


def test_the_state_check_sees_a_global_changed_by_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("_LOCKS = {}\nclass Search:\n    words = None\n"
                      "def take(path):\n    _LOCKS.setdefault(path, 1)\n"
                      "def use(path):\n    Search.words = path\n"
                      "def count():\n    global N\n", encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in _module_state_written_by_functions(sample)] == [
        "changes the module's _LOCKS", "changes the module's Search", "global ['N']"]


def _is_record_member(module: str, code: types.CodeType) -> bool:
    """A property or the constructor of a class: behaviour of a record, not a stage's step."""
    if code.co_name == "__init__":  # a dataclass's generated __init__ is named "__create_fn__.<locals>..."
        return True
    owner_name, _, member = code.co_qualname.rpartition(".")
    owner = getattr(sys.modules.get(module), owner_name, None)
    return isinstance(owner, type) and isinstance(inspect.getattr_static(owner, member, None), property)


def test_the_seeds_walk_the_stages_without_calling_back(tmp_path):
    """Run the converter on the seeds and record every call from a module of one stage into a
    function of an earlier stage: there is none but a record's property or constructor."""
    from tools.pipeline import convert

    from .conftest import SEEDS

    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    calls_back: set[str] = set()
    calls: list[int] = [0]

    def profile(frame: types.FrameType, event: str, _: object) -> None:
        if event != "call" or frame.f_back is None:
            return
        callee, caller = frame.f_globals.get("__name__", ""), frame.f_back.f_globals.get("__name__", "")
        callee_stage, caller_stage = _stage(callee), _stage(caller)
        if callee_stage is None or caller_stage is None:
            return
        calls[0] += 1
        if callee_stage < caller_stage and not _is_record_member(callee, frame.f_code):
            calls_back.add(f"{caller} -> {callee}.{frame.f_code.co_qualname}")

    sys.setprofile(profile)
    try:
        convert(SEEDS, tmp_path / "docs", strict=True)
    finally:
        sys.setprofile(None)
    assert calls[0] > 1000  # the walk was watched
    assert sorted(calls_back) == []
