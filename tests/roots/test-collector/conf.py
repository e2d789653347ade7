# A project with the cycle-collector handlers (tools/sphinxext/collector.py), connected as
# tools.sphinxext connects them, and a handler that notes the thresholds while a page is read.
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext import HANDLERS, collector

extensions = ["myst_parser"]


def setup(app):
    for handler in HANDLERS:
        if handler.run in (collector.on_config_inited, collector.on_build_finished):
            app.connect(handler.event, handler.run, priority=handler.priority)
    app.connect("doctree-read", lambda app, doctree: app.config.__dict__.setdefault(
        "thresholds_while_reading", gc.get_threshold()))
