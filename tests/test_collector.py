"""tools/sphinxext/collector.py: the build's collector thresholds, and the process's back after it."""

from __future__ import annotations

import gc

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
