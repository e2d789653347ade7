"""Characters no input may carry into a page, a front matter, an attribute or a .bib file.

C0 controls but tab, line feed and carriage return; DEL; the C1 controls
(U+0080 to U+009F, NEL included); surrogates; and Unicode's noncharacters
(U+FDD0 to U+FDEF and the last two code points of every plane).  None of them
means anything in a title or an abstract; some break YAML front matter (PyYAML
refuses them), XML and BibTeX tools, or reach HTML attributes raw.  The parser
removes them from digests and notes each line it cleaned
(``tools/read/parse.py``); the metadata file may not hold them
(``tools/read/metadata.py``); the MyST escaper removes them too, as a last guard.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def control_characters(text: str) -> list[str]:
    """The control characters of ``text`` as ``U+XXXX``, in order, each once."""
    return list(dict.fromkeys(f"U+{ord(char):04X}" for char in CONTROL.findall(text)))


def remove_control_characters(text: str) -> str:
    return CONTROL.sub("", text)
