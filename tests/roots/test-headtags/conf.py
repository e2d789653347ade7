# A project with sphinxext-opengraph and the head-tag rewriter (tools/sphinxext/headtags.py).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext.headtags import setup_headtags

extensions = ["myst_parser", "sphinxext.opengraph"]
ogp_site_url = "https://example.org/kb/"
ogp_social_cards = {"enable": False}
smartquotes = False


def setup(app):
    setup_headtags(app)
