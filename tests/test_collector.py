"""tools/sphinxext/collector.py: the collector thresholds of a build and after it, a heap frozen at exit."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from tools.sphinxext import collector


@pytest.mark.sphinx("html", testroot="collector")
def test_a_build_reads_with_its_thresholds_and_leaves_the_process_with_its_own(make_app, app_params):
    before = gc.get_threshold()
    assert before != collector.THRESHOLDS
    app = make_app(*app_params.args, **app_params.kwargs)
    app.build()
    assert not app.warning.getvalue()
    assert app.config.__dict__["thresholds_while_reading"] == collector.THRESHOLDS
    assert gc.get_threshold() == before


# A process that builds the collector's test project and reports, from an exit handler that
# runs after every one the build registered, whether the heap was frozen for the shutdown.
_BUILD_THEN_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
from sphinx.cmd.build import main
status = main(["-q", "-b", "html", sys.argv[1], sys.argv[2]])
print("frozen after the build:", gc.get_freeze_count() > 0)
sys.exit(status)
"""


def test_the_heap_is_frozen_for_the_interpreters_exit_and_not_before(rootdir, tmp_path):
    run = subprocess.run([sys.executable, "-c", _BUILD_THEN_EXIT, str(rootdir / "test-collector"),
                          str(tmp_path / "html")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-2:] == ["frozen after the build: False", "frozen at exit: True"]
