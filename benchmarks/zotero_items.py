"""What Zotero saves from each paper page: a running translation server asked about a built site.

Zotero's browser connector runs the same translators as Zotero's translation
server (zotero/translation-server, with zotero/translators); this serves a built
site on 127.0.0.1, posts each paper page's address to the server's ``/web``
endpoint and prints, per page, the item type and the fields a citation needs,
then how many pages gave a preprint with the arXiv id, DOI, arxiv.org URL and
abstract.  The server returns no attachments, so the PDF is not listed.

    python -m benchmarks.zotero_items --site _build/html [--server http://127.0.0.1:1969]

Starting a server: clone zotero/translation-server with its submodules, ``npm
install``, ``npm start`` (Node 20).  On demand, not a test: it needs that server.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import serve
from tools import arxiv, layout


def zotero_item(server: str, url: str) -> dict[str, object]:
    request = urllib.request.Request(f"{server.rstrip('/')}/web", data=url.encode(),
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=60) as response:
        items = json.load(response)
    return items[0] if items else {}


def expected(arxiv_id: str) -> dict[str, str]:
    return {"itemType": "preprint", "archiveID": f"arXiv:{arxiv_id}", "DOI": arxiv.doi(arxiv_id),
            "url": arxiv.abs_url(arxiv_id)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (the html folder)")
    parser.add_argument("--server", default="http://127.0.0.1:1969", help="translation server")
    args = parser.parse_args()
    pages = sorted((args.site / layout.PAPERS).glob("*.html"))
    whole = 0
    with serve(args.site) as base:
        print("| page | itemType | archiveID | DOI | url | language | authors | abstract |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for page in pages:
            item = zotero_item(args.server, f"{base}/{layout.PAPERS}/{page.name}")
            arxiv_id = str(item.get("archiveID", "")).removeprefix("arXiv:") or page.stem
            abstract = str(item.get("abstractNote", ""))
            print(f"| {page.stem} | {item.get('itemType')} | {item.get('archiveID', '—')} | "
                  f"{item.get('DOI', '—')} | {item.get('url')} | {item.get('language', '—')} | "
                  f"{len(item.get('creators', []))} | {abstract[:24]}… ({len(abstract)} chars) |")
            if all(item.get(name) == value for name, value in expected(arxiv_id).items()) and abstract:
                whole += 1
    print(f"\n{whole} of {len(pages)} pages saved as a preprint with arXiv id, DOI, arxiv.org URL "
          "and abstract")
    return 0 if whole == len(pages) else 1


if __name__ == "__main__":
    sys.exit(main())
