"""One word for each thing: every Thai message the portal shows (CKAN's Thai
catalog with the extension's merged over it, the extension's winning, as
Flask-Babel merges them at runtime) uses the glossary's terms, never a word
or spelling the glossary avoids (ckanext/opendata_th/i18n/glossary.yaml).
Pure: babel, yaml and the .po files, no CKAN app."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[1]
GLOSSARY = PACKAGE / "i18n" / "glossary.yaml"
CATALOG = PACKAGE / "i18n" / "th" / "LC_MESSAGES" / "ckanext-opendata_th.po"
FIELDS = {"concept", "english", "thai", "avoid", "scope", "except", "note"}


def ckan_catalog() -> Path:
    import ckan  # only for its path: CKAN's own Thai catalog
    return Path(ckan.__file__).parent / "i18n" / "th" / "LC_MESSAGES" / "ckan.po"


def translations(path: Path) -> dict[str, tuple[str, ...]]:
    """msgid -> its Thai strings (one, or one per plural form), leaving out
    what compiling drops (untranslated and fuzzy entries)."""
    with path.open("rb") as stream:
        catalog = read_po(stream)
    found = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(strings):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            found[msgid] = strings
    return found


def effective_catalog() -> dict[str, tuple[str, ...]]:
    """The Thai strings the portal shows: the extension's entries win."""
    return {**translations(ckan_catalog()), **translations(CATALOG)}


def load_glossary(path: Path = GLOSSARY) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)["terms"]


def glossary_problems(terms) -> list[str]:
    problems = []
    if not isinstance(terms, list) or not terms:
        return ["the glossary has no terms"]
    concepts = set()
    for index, term in enumerate(terms):
        where = f"term {index + 1}"
        if not isinstance(term, dict):
            problems.append(f"{where} is not a mapping")
            continue
        if set(term) != FIELDS:
            problems.append(f"{where} has fields {sorted(term)}, expected {sorted(FIELDS)}")
            continue
        if term["concept"] in concepts:
            problems.append(f"{where}: concept {term['concept']!r} appears twice")
        concepts.add(term["concept"])
        for key in ("concept", "english", "thai", "note"):
            if not isinstance(term[key], str) or not term[key].strip():
                problems.append(f"{where}: {key} must be a non-empty string")
        if term["scope"] not in ("everywhere", "term"):
            problems.append(f"{where}: scope must be 'everywhere' or 'term'")
        for key in ("avoid", "except"):
            if not isinstance(term[key], list) or not all(
                    isinstance(word, str) and word.strip() for word in term[key]):
                problems.append(f"{where}: {key} must be a list of non-empty strings")
        if not term["avoid"]:
            problems.append(f"{where}: nothing to avoid")
        elif isinstance(term["thai"], str) and any(
                word in term["thai"] for word in term["avoid"]):
            problems.append(f"{where}: the Thai term uses a word it avoids")
        if isinstance(term["except"], list) and isinstance(term["avoid"], list) and not all(
                any(word in phrase for word in term["avoid"]) for phrase in term["except"]):
            problems.append(f"{where}: an exception contains no avoided word")
    return problems


def violations(terms, catalog: dict[str, tuple[str, ...]]) -> list[str]:
    """Every (msgid, avoided word) where a Thai message breaks the glossary."""
    found = []
    for term in terms:
        for msgid, strings in catalog.items():
            if term["scope"] == "term" and term["english"].lower() not in msgid.lower():
                continue
            for text in strings:
                for phrase in term["except"]:
                    text = text.replace(phrase, "")
                for word in term["avoid"]:
                    if word in text:
                        found.append(f"{term['concept']}: {msgid!r} uses {word!r} "
                                     f"(say {term['thai']!r})")
    return found


def test_the_glossary_is_well_formed():
    assert glossary_problems(load_glossary()) == []


def test_covers_the_terms_the_portal_must_get_right():
    thai = {term["concept"]: term["thai"] for term in load_glossary()}
    assert thai["organization"] == "หน่วยงาน"
    assert thai["tag"] == "แท็ก"
    assert thai["upload"] == "อัปโหลด"
    assert thai["geospatial"] == "ภูมิสารสนเทศ"
    assert {"visibility", "finish", "relevance", "dashboard"} <= set(thai)


@pytest.mark.parametrize("broken, problem", [
    ([{"concept": "x", "english": "X", "thai": "เอ็กซ์", "avoid": ["เอ็ก"],
       "scope": "everywhere", "except": [], "note": "n", "extra": 1}], "has fields"),
    ([{"concept": "x", "english": "X", "thai": "เอ็กซ์", "avoid": [],
       "scope": "everywhere", "except": [], "note": "n"}], "nothing to avoid"),
    ([{"concept": "x", "english": "X", "thai": "เอ็กซ์", "avoid": ["เอก"],
       "scope": "somewhere", "except": [], "note": "n"}], "scope must be"),
    ([{"concept": "x", "english": "X", "thai": "เอ็กซ์", "avoid": ["เอ็ก"],
       "scope": "term", "except": [], "note": "n"}], "uses a word it avoids"),
    ([{"concept": "x", "english": "X", "thai": "เอ็กซ์", "avoid": ["เอก"],
       "scope": "term", "except": ["ไม่มี"], "note": "n"}], "contains no avoided word"),
    ({"terms": []}, "no terms"),
])
def test_a_malformed_glossary_is_reported(broken, problem):
    assert any(problem in message for message in glossary_problems(broken))


def test_finds_an_avoided_word_and_respects_scope_and_exceptions():
    terms = [
        {"concept": "organization", "english": "Organization", "thai": "หน่วยงาน",
         "avoid": ["องค์กร"], "scope": "everywhere", "except": ["ชั้นเผยแพร่ภายในองค์กร"],
         "note": "n"},
        {"concept": "relevance", "english": "Relevance", "thai": "ความเกี่ยวข้อง",
         "avoid": ["ความสัมพันธ์"], "scope": "term", "except": [], "note": "n"},
    ]
    catalog = {
        "Organizations": ("องค์กร",),
        "Internal distribution": ("ชั้นเผยแพร่ภายในองค์กร",),
        "Delete relationship": ("ลบความสัมพันธ์",),
        "Relevance": ("ความสัมพันธ์",),
        "{n} organizations": ("{n} องค์กร",),
    }
    assert sorted(violations(terms, catalog)) == sorted([
        "organization: 'Organizations' uses 'องค์กร' (say 'หน่วยงาน')",
        "organization: '{n} organizations' uses 'องค์กร' (say 'หน่วยงาน')",
        "relevance: 'Relevance' uses 'ความสัมพันธ์' (say 'ความเกี่ยวข้อง')",
    ])


def test_the_extension_wins_over_ckan_as_at_runtime():
    catalog = effective_catalog()
    assert catalog["Organizations"] == ("หน่วยงาน",)
    assert catalog["Dashboard"] == ("แดชบอร์ด",)


def test_every_thai_message_follows_the_glossary():
    found = violations(load_glossary(), effective_catalog())
    assert not found, "\n".join(found)


def schema_labels() -> dict[str, tuple[str, ...]]:
    """The Thai labels, help texts and choice labels of the dataset schema
    (schemas/dataset.yaml), keyed by their English text as a catalog is:
    ckanext-scheming shows them on Thai pages without a catalog."""
    schema = yaml.safe_load((PACKAGE / "schemas" / "dataset.yaml").read_text(encoding="utf-8"))
    found: dict[str, tuple[str, ...]] = {}

    def add(text):
        if isinstance(text, dict) and text.get("th"):
            found[text.get("en") or text["th"]] = (text["th"],)

    for field in schema["dataset_fields"] + schema["resource_fields"]:
        add(field.get("label"))
        add(field.get("help_text"))
        for choice in field.get("choices", []):
            add(choice.get("label"))
    for section in schema.get("form_sections", []):
        add(section.get("title"))
        add(section.get("help"))
    return found


def test_the_dataset_schema_follows_the_glossary():
    labels = schema_labels()
    assert labels["Equivalent scale (Geoinformatics data)"] == (
        "มาตราส่วน (สำหรับชุดข้อมูลภูมิสารสนเทศ)",)  # national label, glossary spelling
    found = violations(load_glossary(), labels)
    assert not found, "\n".join(found)
