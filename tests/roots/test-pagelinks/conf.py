# A project with the {site-file} role (tools/sphinxext/roles.py) and the fixed section
# anchors (tools/sphinxext/anchors.py), connected as tools.sphinxext connects them.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext import HANDLERS
from tools.sphinxext.anchors import fix_anchors
from tools.sphinxext.roles import resolve_site_files, setup_roles

extensions = ["myst_parser"]
myst_enable_extensions = ["attrs_block"]


def setup(app):
    setup_roles(app)
    for handler in HANDLERS:
        if handler.run in (fix_anchors, resolve_site_files):
            app.connect(handler.event, handler.run, priority=handler.priority)
