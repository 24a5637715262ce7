"""Every message the code and the templates can show has a Chinese translation in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s")
CATALOGUE = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def extracted_msgids() -> set[str]:
    """What `pybabel extract -F babel.cfg` finds, read with the same mapping."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_extracted_message_is_translated_into_chinese():
    with CATALOGUE.open("rb") as po:
        catalogue = {m.id: m.string for m in read_po(po) if m.id}
    extracted = extracted_msgids()
    assert "Incorrect e-mail or password." in extracted and "Bad request" in extracted  # templates and app code
    missing = sorted(msgid for msgid in extracted if not catalogue.get(msgid))
    assert not missing, "run pybabel extract/update and translate: %r" % missing


def test_placeholders_survive_translation():
    with CATALOGUE.open("rb") as po:
        for message in read_po(po):
            if message.id and message.string:
                assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), (
                    message.id
                )
