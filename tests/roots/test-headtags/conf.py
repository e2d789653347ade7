# A project with sphinxext-opengraph and the head-tag rewriter (tools/sphinxext/headtags.py),
# connected as tools.sphinxext connects it.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tools.sphinxext import HANDLERS
from tools.sphinxext.headtags import rewrite_metatags

extensions = ["myst_parser", "sphinxext.opengraph"]
ogp_site_url = "https://example.org/kb/"
ogp_social_cards = {"enable": False}
smartquotes = False


def setup(app):
    for handler in HANDLERS:
        if handler.run is rewrite_metatags:
            app.connect(handler.event, handler.run, priority=handler.priority)
