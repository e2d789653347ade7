# A MyST project with tools/sphinxext/libyaml.py set up as tools.sphinxext sets it up.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext.libyaml import setup_libyaml

extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence"]


def setup(app):
    setup_libyaml(app)
