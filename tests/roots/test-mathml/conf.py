# A project with only the MathML renderer (tools/sphinxext/mathml.py): formulas from MyST roles.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext.mathml import NAME, setup_mathml

extensions = ["myst_parser"]
html_math_renderer = NAME


def setup(app):
    setup_mathml(app)
