"""The Thai catalog is complete: every message the extension's code and
templates pass through gettext has a Thai translation, in the extension's
catalog or (for CKAN's own strings) in CKAN's. English is the language the
messages are written in."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "ckanext" / "opendata_th"
CATALOG = PACKAGE / "i18n" / "th" / "LC_MESSAGES" / "ckanext-opendata_th.po"


def ckan_catalog() -> Path:
    import ckan  # CKAN's own Thai catalog translates the core strings we reuse
    return Path(ckan.__file__).parent / "i18n" / "th" / "LC_MESSAGES" / "ckan.po"


def extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping(cfg)
    # CKAN's template extractor, named by its entry point in babel.cfg
    method_map = [(pattern, "ckan.lib.extract:extract_ckan" if method == "ckan" else method)
                  for pattern, method in method_map]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_of_the_extension_has_a_thai_translation():
    translated = set()
    for path in (CATALOG, ckan_catalog()):
        with path.open("rb") as stream:
            # a plural message's id is (singular, plural), as extracted() names it by its singular
            translated |= {m.id if isinstance(m.id, str) else m.id[0]
                           for m in read_po(stream) if m.id and m.string and all(m.string)}
    messages = extracted()
    assert "Update schedule" in messages  # the extraction reads code and templates
    missing = sorted(messages - translated)
    assert not missing, f"no Thai translation for: {missing}"
