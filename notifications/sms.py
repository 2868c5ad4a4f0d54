"""What a text body costs (encoding and segments) and what it may say.

One character outside GSM-7 turns the whole text into UCS-2, which more than halves
what fits in a segment, so `clean()` swaps the usual culprits (non-breaking spaces,
curly quotes, dashes, as healthchecks' transports do) for plain equivalents first.
"""
import functools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import clinical_words

MAX_SEGMENTS = 2

# GSM 03.38: the basic table (one septet each) and the extension table (escape + char: two).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("\f^{}\\[~]|€")

PLAIN = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space (Django's date formats use it)
        "\u2007": " ",
        "\u2009": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)

# The minimal-data rule: no diagnosis or delegated task in a text, only a code and a link. Texts are
# fixed templates first; this word check is the second line (notifications/clinical_words.py), and
# apps above the floor add their own words with register_vocabulary().
_sources = []


def register_vocabulary(source):
    """Add `source` (a callable returning words and phrases) to the words no text may contain.

    Called from an AppConfig.ready(); the callable is asked at each check, so it must be cheap
    (competencies returns its shipped catalogue, read from code, not the database)."""
    if source not in _sources:
        _sources.append(source)


def unregister_vocabulary(source):
    if source in _sources:
        _sources.remove(source)


def _pattern(term):
    words = term.strip()
    stem = words.endswith("*")
    body = r"\s+".join(re.escape(word) for word in words.rstrip("*").split())
    return r"(?<!\w)" + body + (r"\w*" if stem else r"(?!\w)")


@functools.lru_cache(maxsize=16)
def _matcher(extra_terms):
    """One regex for the base vocabulary and the registered words (longest first, so a phrase is
    reported rather than the word inside it)."""
    terms = sorted({*clinical_words.TERMS, *extra_terms}, key=len, reverse=True)
    anycase = re.compile("|".join(_pattern(t) for t in terms), re.IGNORECASE)
    capitals = re.compile("|".join(_pattern(t) for t in clinical_words.CAPITALS))
    return anycase, capitals


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=16)
def _first_words(extra_terms):
    """(whole, stems) for each matcher: a term can match only where the body has a word that is its
    first word (a word stem, "diabet*", begins it), since every term's pattern starts at a word's start.
    None when a term does not start with a word character (then there is no shortcut)."""
    starts = []
    for terms, fold in (({*clinical_words.TERMS, *extra_terms}, str.lower), (clinical_words.CAPITALS, str)):
        whole, stems = set(), set()
        for term in terms:
            words = term.strip()
            first = _WORD.match(words)
            if first is None:
                return None
            if words.endswith("*") and first.end() == len(words) - 1:
                stems.add(fold(first.group(0)))
            else:
                whole.add(fold(first.group(0)))
        starts.append((frozenset(whole), tuple(sorted(stems))))
    return starts


def _may_match(body, fold, whole, stems):
    return any(word in whole or word.startswith(stems) for word in _WORD.findall(fold(body)))


def clinical_word(body):
    """The first condition, treatment, medicine or task named in `body`, or None.

    The vocabulary's one regex costs about a millisecond a text (every term tried at every position),
    so it runs only when the body has a word that some term starts with; an ASCII body is split into
    words exactly as the regex sees them (elsewhere, case folding differs: the regex alone decides)."""
    extra = tuple(sorted({str(term) for source in _sources for term in source() if str(term).strip()}))
    starts = _first_words(extra) if body.isascii() else None
    for index, matcher in enumerate(_matcher(extra)):
        if starts is not None and not _may_match(body, str.lower if index == 0 else str, *starts[index]):
            continue
        found = matcher.search(body)
        if found:
            return found.group(0)
    return None


class _Vocabulary:
    """`CLINICAL_WORDS.search(body)`, the name tests in care still use (it was a regex)."""

    def search(self, body):
        return clinical_word(body)


CLINICAL_WORDS = _Vocabulary()


@dataclass(frozen=True)
class Shape:
    encoding: str  # "GSM-7" or "UCS-2"
    segments: int
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2


def clean(body):
    return str(body).translate(PLAIN).strip()


def is_gsm7(body):
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in body)


def _count_segments(sizes, single, multi):
    """Characters (each `size` units, never split between segments) packed into segments."""
    total = sum(sizes)
    if total <= single:
        return 1 if total else 0
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return segments


def shape(body):
    """Encoding and number of segments of `body` as it would be sent (after `clean`)."""
    body = clean(body)
    if is_gsm7(body):
        sizes = [2 if ch in GSM7_EXTENDED else 1 for ch in body]
        return Shape("GSM-7", _count_segments(sizes, 160, 153), sum(sizes))
    sizes = [2 if ord(ch) > 0xFFFF else 1 for ch in body]  # astral characters are surrogate pairs
    return Shape("UCS-2", _count_segments(sizes, 70, 67), sum(sizes))


def validate_body(body):
    """Raise ValidationError unless the cleaned body is short, non-empty and free of clinical words."""
    body = clean(body)
    if not body:
        raise ValidationError("A text needs a body.", code="sms_empty")
    found = clinical_word(body)
    if found:
        raise ValidationError(
            "Texts must not name a condition, medicine or task (found %(word)r): send a code and a link instead.",
            code="sms_clinical",
            params={"word": found},
        )
    s = shape(body)
    if s.segments > MAX_SEGMENTS:
        limit = 306 if s.encoding == "GSM-7" else 134
        raise ValidationError(
            "This text needs %(segments)d segments (%(encoding)s); keep it to %(max)d, about %(limit)d characters.",
            code="sms_too_long",
            params={"segments": s.segments, "encoding": s.encoding, "max": MAX_SEGMENTS, "limit": limit},
        )
    return s
