"""tools/sphinxext/collector.py: no full collection during a build, survivors frozen, all restored."""

from __future__ import annotations

import gc

from tools.sphinxext import collector


def test_a_build_freezes_its_pages_in_steps_and_leaves_the_collector_as_it_found_it():
    before = gc.get_threshold()
    try:
        collector.on_config_inited(None, None)
        assert gc.get_threshold()[2] == collector.NO_FULL_COLLECTION
        collector.on_env_before_read_docs(None, None, [])
        frozen = gc.get_freeze_count()
        assert frozen > 0  # this process's objects so far
        kept = [[object()] for _ in range(1000)]  # tracked objects made after the freeze
        for _ in range(collector.FREEZE_EVERY - 1):
            collector.on_page(None)
        assert gc.get_freeze_count() == frozen
        collector.on_page(None)  # the FREEZE_EVERY-th page
        assert gc.get_freeze_count() >= frozen + len(kept)
        collector.on_env_updated(None, None)
        collector.on_build_finished(None, None)
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
