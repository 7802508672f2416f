"""Web addresses (CKAN names) made from titles, Thai ones included.

A Thai title is transcribed in the Royal Thai General System (RTGS) with
PyThaiNLP's offline ``royin`` romanizer, one word at a time, words joined by
hyphens: "ข้อมูลการส่งออกสินค้า" gives ``khomun-kansongok-sinkha``.

``royin`` reads spelling, not pronunciation, and it goes wrong on whole
words ("การส่งออก" gives "kantngok"), so each word (PyThaiNLP's ``newmm``
tokenizer) is cut into syllables and each syllable is romanized alone, after
a few spelling rules ``royin`` lacks (a silent leading ห, the clusters after
a leading vowel, ทร read as s, a silent final ร). Words whose RTGS follows
pronunciation that spelling cannot give (มูลค่า ``munlakha``, hidden vowels,
linked syllables) come from a short table of words common in agencies'
titles, which the syllable cutter also treats as single units.

PyThaiNLP loads its dictionaries on first use (one to a few seconds, once per
process), so it is imported only when a Thai title is first transcribed;
after that a title takes about 2 ms.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Callable

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 100
"""CKAN's limits on dataset, organization and group names."""
RESERVED_NAMES = frozenset({"new", "edit", "search"})
"""Names CKAN refuses because they are paths of its own pages."""
TITLE_READ_LIMIT = 4
"""Characters of title read per character of name: a longer title is cut
before it is transcribed, so a huge title costs no more than a long one."""

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LATIN_OR_DIGIT_RUN = re.compile(r"[a-z0-9]+")
_ABBREVIATION = r"(?:[\u0e01-\u0e2e]{1,3}\.)+"
"""Thai consonants with a full stop: พ.ศ., อบต., กทม."""
_TOKEN = re.compile(f"({_ABBREVIATION})|[\u0e01-\u0e3a\u0e40-\u0e4e]+|[a-z0-9]+")
_REPEAT = "ๆ"  # ไม้ยมก: say the word before it again
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")

# Words (or parts of words) whose RTGS follows pronunciation that the
# spelling rules cannot give. Keys are Thai as typed; values are RTGS.
KNOWN_WORDS: dict[str, str] = {
    "มูลค่า": "munlakha",
    "มูลนิธิ": "mulanithi",
    "เกษตร": "kaset",
    "เกษตรกร": "kasettrakon",
    "เกษตรกรรม": "kasettrakam",
    "สาธารณสุข": "satharanasuk",
    "สาธารณะ": "satharana",
    "สาธารณ": "satharana",
    "สาธารณูปโภค": "satharanupaphok",
    "ราษฎร": "ratsadon",
    "อุบัติเหตุ": "ubattihet",
    "เหตุ": "het",
    "ประวัติศาสตร์": "prawattisat",
    "ประวัติ": "prawat",
    "วิทยาศาสตร์": "witthayasat",
    "เศรษฐกิจ": "setthakit",
    "เศรษฐ": "settha",
    "คุณภาพ": "khunnaphap",
    "รัฐบาล": "ratthaban",
    "รัฐวิสาหกิจ": "ratthawisahakit",
    "ผลผลิต": "phonphalit",
    "ผลิต": "phalit",
    "พลเมือง": "phonlamueang",
    "ทรัพยากร": "sapphayakon",
    "ปริมาณ": "pariman",
    "บริการ": "borikan",
    "บริษัท": "borisat",
    "บริหาร": "borihan",
    "สวัสดิการ": "sawatdikan",
    "สวัสดิ": "sawatdi",
    "จราจร": "charachon",
    "นครราชสีมา": "nakhonratchasima",
    "ราชสีมา": "ratchasima",
    "อุบลราชธานี": "ubonratchathani",
    "สุราษฎร์ธานี": "suratthani",
    "พระนครศรีอยุธยา": "phranakhonsiayutthaya",
    "อยุธยา": "ayutthaya",
    "ราชการ": "ratchakan",
    "ราชบุรี": "ratchaburi",
    "พัฒนา": "phatthana",
    "พัฒนาการ": "phatthanakan",
    "วัฒนธรรม": "watthanatham",
    "สาธารณภัย": "satharanaphai",
    "คมนาคม": "khamanakhom",
    "ปลัด": "palat",
    "เทศบาล": "thetsaban",
    "สุขภาพ": "sukkhaphap",
    "สารสนเทศ": "sarasonthet",
    "ภูมิสารสนเทศ": "phumisarasonthet",
    "ตลาด": "talat",
    "พลังงาน": "phalangngan",
    "สาธารณรัฐ": "satharanarat",
    "มหาวิทยาลัย": "mahawitthayalai",
    "วิทยาลัย": "witthayalai",
    "วิทยา": "witthaya",
    "เฉลี่ย": "chalia",
    "บริ": "bori",
    "บริโภค": "boriphok",
    "อัตรา": "attra",
    "อาชญากรรม": "atchayakam",
    "มูลฝอย": "munlafoi",
    "อนุญาต": "anuyat",
    "ดัชนี": "datchani",
    "ชาติ": "chat",
}


@lru_cache(maxsize=1)
def _thai_tools() -> tuple[Callable[..., list[str]], Any, Callable[[str], str]]:
    """PyThaiNLP's word tokenizer, a syllable dictionary that also holds the
    known words, and royin's one-word romanizer (imported here: slow)."""
    from pythainlp.corpus import thai_syllables
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    try:
        # royin's romanizer of one word; its public romanize() cuts the text
        # into words again, which splits syllables ("กาศ" -> "กา" "ศ" -> "kas").
        from pythainlp.transliterate.royin import _romanize as romanize_word
    except ImportError:  # pragma: no cover - a PyThaiNLP that renamed it
        from pythainlp.transliterate import romanize

        def romanize_word(word: str) -> str:
            return romanize(word, engine="royin")

    syllables = Trie(set(thai_syllables()) | set(KNOWN_WORDS))
    return word_tokenize, syllables, romanize_word


# -- spelling rules royin lacks, applied to one syllable ------------------------

_LEADING_VOWEL = "[เแโใไ]"
_SONORANT = "[งญนมยรลว]"
_ABOVE_OR_BELOW = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4c]"
_CLUSTER_FIRST = {"ก": "k", "ข": "kh", "ค": "kh", "ต": "t", "ป": "p", "ผ": "ph", "พ": "ph"}
_CLUSTER_SECOND = {"ร": "r", "ล": "l", "ว": "w"}
_SILENT_HO = re.compile(f"^({_LEADING_VOWEL}?)ห(?={_SONORANT})")
_SOUNDED_HO = re.compile(f"^({_LEADING_VOWEL}?)ห")
_SILENT_RO_AFTER_S = re.compile(f"^({_LEADING_VOWEL}?)([จซศส])ร(?={_ABOVE_OR_BELOW})")
_THO_RO = re.compile(f"^({_LEADING_VOWEL}?)ทร(?={_ABOVE_OR_BELOW}|[ก-ฮ])")
_CLUSTER_AFTER_VOWEL = re.compile(f"^({_LEADING_VOWEL})([กขคตปผพ])([รลว])")
_SILENT_FINAL_RO = re.compile(r"(?<=[\u0e01-\u0e2e])ร$")
_HAS_VOWEL = re.compile(r"[\u0e30-\u0e39\u0e40-\u0e44\u0e47]")


def _romanize_syllable(syllable: str, romanize_word: Callable[[str], str]) -> str:
    """RTGS of one syllable: royin after the spelling rules it lacks."""
    if syllable in KNOWN_WORDS:
        return KNOWN_WORDS[syllable]
    text = _SILENT_HO.sub(r"\1", syllable)  # ใหม่ -> mai, แหล่ง -> laeng
    text = _SOUNDED_HO.sub(r"\1ฮ", text)  # royin drops a leading ห: ห้อง -> hong
    text = _THO_RO.sub(r"\1ซ", text)  # ทรวง -> suang, ทรัพย์ -> sap
    text = _SILENT_RO_AFTER_S.sub(r"\1\2", text)  # สร้าง -> sang, จริง -> ching
    if len(text) >= 4 and _HAS_VOWEL.search(text):
        text = _SILENT_FINAL_RO.sub("", text)  # จักร -> chak, บัตร -> bat
    cluster = _CLUSTER_AFTER_VOWEL.match(text)
    if cluster:
        # royin reads เปลี่ยน as pe-lian: romanize without the second
        # consonant, then put it back after the first (p + l + ian).
        vowel, first, second = cluster.groups()
        romanized = romanize_word(vowel + first + text[cluster.end():])
        initial = _CLUSTER_FIRST[first]
        if romanized.startswith(initial):
            return initial + _CLUSTER_SECOND[second] + romanized[len(initial):]
    return romanize_word(text)


def romanize_thai(text: str) -> list[str]:
    """The RTGS of each word of a run of Thai letters (no spaces, no digits)."""
    word_tokenize, syllables, romanize_word = _thai_tools()
    words: list[str] = []
    for word in word_tokenize(text, engine="newmm", keep_whitespace=False):
        repeats = 1 + word.count(_REPEAT)
        word = word.replace(_REPEAT, "")
        if not word:  # a lone ๆ repeats the word before it
            words.extend(words[-1:] * (repeats - 1))
            continue
        if word in KNOWN_WORDS:
            romanized = KNOWN_WORDS[word]
        else:
            parts = word_tokenize(word, custom_dict=syllables, engine="newmm", keep_whitespace=False)
            romanized = "".join(_romanize_syllable(part, romanize_word) for part in parts)
            romanized = re.sub(r"[^a-z0-9]", "", romanized.lower())
        if romanized:
            words.extend([romanized] * repeats)
    return words


def romanize_abbreviation(letters: str) -> str:
    """A Thai abbreviation read letter by letter, as Thais read it: พ.ศ. -> phoso."""
    _, _, romanize_word = _thai_tools()
    return "".join(romanize_word(letter + "อ") for letter in letters)


# -- names ----------------------------------------------------------------------

def _latin(text: str) -> str:
    """Accents off Latin letters (é -> e), Thai digits as Arabic ones."""
    return "".join(_unaccented(char) for char in text.translate(_THAI_DIGITS)).lower()


def _unaccented(char: str) -> str:
    if "\u0e00" <= char <= "\u0e7f":  # Thai: NFKD would split ำ into ํ + า
        return char
    return "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))


def words_of_title(title: str, max_length: int = NAME_MAX_LENGTH) -> list[str]:
    """The words of a name for ``title``: Latin words and numbers as they are
    (lower case), Thai words in RTGS, everything else dropped."""
    limit = max(max_length, NAME_MIN_LENGTH) * TITLE_READ_LIMIT
    title = title or ""
    cut = len(title) > limit
    text = _latin(unicodedata.normalize("NFC", title[:limit]))
    words: list[str] = []
    for token in _TOKEN.finditer(text):
        if token.group(1):
            words.append(romanize_abbreviation(token.group(1).replace(".", "")))
        elif _LATIN_OR_DIGIT_RUN.fullmatch(token.group()):
            words.append(token.group())
        else:
            words.extend(romanize_thai(token.group()))
        if cut and token.end() == len(text) and len(words) > 1:
            words.pop()  # the cut may fall inside this word
    return words


def _join_within(words: list[str], max_length: int) -> str:
    """Words joined by hyphens, as many as fit in ``max_length``; a first
    word longer than that is cut."""
    name = ""
    for word in words:
        candidate = f"{name}-{word}" if name else word
        if len(candidate) > max_length:
            if not name:
                name = word[:max_length]
            break
        name = candidate
    return name


def name_from_title(title: str, *, max_length: int = NAME_MAX_LENGTH, fallback: str = "dataset") -> str:
    """A valid CKAN name (a-z, 0-9 and -, 2 to ``max_length`` characters) for
    ``title``; ``fallback`` when the title has no letter or digit to use."""
    name = _join_within(words_of_title(title, max_length), max_length)
    if not name:
        return fallback
    if len(name) < NAME_MIN_LENGTH or name in RESERVED_NAMES:
        return _join_within([fallback, name], max_length)
    return name


def unique_name(base: str, taken: Callable[[str], bool], *, max_length: int = NAME_MAX_LENGTH) -> str:
    """``base``, or ``base-2``, ``base-3``… the first that ``taken`` says is
    free; ``base`` is shortened at a hyphen (or cut) to leave room for the
    number within ``max_length``."""
    if not taken(base):
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        room = max_length - len(suffix)
        stem = base if len(base) <= room else _join_within(base.split("-"), room)
        candidate = stem.rstrip("-") + suffix
        if not taken(candidate):
            return candidate
        number += 1


def is_valid_name(name: str, max_length: int = NAME_MAX_LENGTH) -> bool:
    """Whether CKAN accepts ``name`` as a dataset, organization or group name."""
    return (NAME_MIN_LENGTH <= len(name) <= max_length and name not in RESERVED_NAMES
            and bool(_NAME.match(name)))
