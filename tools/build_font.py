"""Build the shipped Chinese font subset for matplotlib charts.

Cuts the Simplified Chinese face of Noto Sans CJK (SIL Open Font License 1.1)
down to ASCII, common punctuation and the 6,763 hanzi of GB2312, renames the
family (the OFL asks modified versions not to pose as the original), and
writes ``nmops/fonts/NotoSansSC-nmops.otf`` plus the licence text.

Run once by a maintainer on a machine with Debian's ``fonts-noto-cjk``::

    python tools/build_font.py [--source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]

The output is committed; learners never run this.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "nmops" / "fonts"
FAMILY = "Noto Sans SC nmops"
DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LICENCE_SOURCE = "/usr/share/doc/fonts-noto-cjk/copyright"


def gb2312_characters() -> set[str]:
    """Every character GB2312 encodes (rows 16-87 hanzi plus symbols)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def wanted_characters() -> str:
    chars = gb2312_characters()
    chars.update(chr(c) for c in range(0x20, 0x7F))           # ASCII
    chars.update(chr(c) for c in range(0x2000, 0x2070))       # general punctuation
    chars.update(chr(c) for c in range(0x3000, 0x3040))       # CJK symbols and punctuation
    chars.update(chr(c) for c in range(0xFF00, 0xFFF0))       # full-width forms
    chars.update("¥°±×÷·—…‰€")
    return "".join(sorted(chars))


def licence_text() -> str:
    raw = Path(LICENCE_SOURCE).read_text(encoding="utf-8")
    block = raw.split("License: SIL-1.1\n", 2)[-1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break
        line = line[1:] if line.startswith(" ") else line
        lines.append("" if line == "." else line)
    return "\n".join(lines).strip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE)
    args = parser.parse_args()
    collection = TTCollection(args.source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted_characters())
    subsetter.subset(font)
    copyright_notice = font["name"].getDebugName(0)
    ps_name = re.sub(r"\W", "", FAMILY)
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = ps_name
        elif record.nameID == 3:
            record.string = f"{ps_name};subset-of-NotoSansCJKsc-Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps_name]
        top = cff.topDictIndex[0]
        top.FamilyName = FAMILY
        top.FullName = FAMILY
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUT_DIR / "NotoSansSC-nmops.otf"
    font.save(target)
    (OUT_DIR / "OFL.txt").write_text(
        f"{FAMILY}: a subset of Noto Sans CJK SC Regular made by tools/build_font.py.\n"
        f"Original copyright: {copyright_notice}\n"
        "Noto is a trademark of Google Inc.\n\n" + licence_text(),
        encoding="utf-8",
    )
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
