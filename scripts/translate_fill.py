"""Fill empty Chinese translations in the catalogue from a JSON file of {msgid: msgstr} (a maintenance helper).

python scripts/translate_fill.py translations.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parents[1] / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def main(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    filled = 0
    for message in catalogue:
        if message.id and not message.string and message.id in wanted:
            message.string = wanted[message.id]
            filled += 1
    with CATALOGUE.open("wb") as po:
        write_po(po, catalogue, width=120)
    missing = [m.id for m in catalogue if m.id and not m.string]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main(sys.argv[1])
