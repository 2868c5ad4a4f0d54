"""How long a text is in segments, and in which encoding, as the phone network counts it."""
import pytest

from notifications import sms


@pytest.mark.parametrize(
    "body, encoding, segments",
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets: 160
        ("€" * 81, "GSM-7", 2),
        ("a" * 152 + "€", "GSM-7", 1),  # 154 septets still fit in one
        ("a" * 154 + "€" * 4, "GSM-7", 2),  # 162 septets
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),  # 306 septets, but an escape pair is never split
        ("Café £5 @ 10:00, Über señor", "GSM-7", 1),
        ("naïve", "UCS-2", 1),  # ï is not in GSM-7
        ("ą" * 70, "UCS-2", 1),
        ("ą" * 71, "UCS-2", 2),
        ("ą" * 134, "UCS-2", 2),
        ("😀" * 35, "UCS-2", 1),  # each emoji is a surrogate pair: 70 units
        ("😀" * 36, "UCS-2", 2),
    ],
)
def test_segments_and_encoding(body, encoding, segments):
    shape = sms.shape(body)
    assert (shape.encoding, shape.segments) == (encoding, segments)


def test_a_non_breaking_space_would_force_ucs2_so_it_is_stripped():
    body = "Shift 4821\u00a0Tue\u202f08:00 \u2013 \u201cYES 4821\u201d\u2026"
    assert not sms.is_gsm7(body)
    assert sms.clean(body) == 'Shift 4821 Tue 08:00 - "YES 4821"...'
    assert sms.shape(body).encoding == "GSM-7"


def test_validate_body_reports_the_shape_of_what_passes():
    shape = sms.validate_body("paworkflow: shift 4821 on Tue. Reply YES 4821. https://pa.example.org/rota/")
    assert shape == sms.Shape("GSM-7", 1, 75)


@pytest.mark.parametrize("word", ["Insulin", "enoxaparin", "injections", "nebuliser", "trache", "suctioning", "PEG",
                                  "midazolam", "catheter", "oxygen", "diabetes", "diagnosis"])
def test_clinical_words_are_refused(word):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        sms.validate_body(f"paworkflow: {word} at 08:00")
    assert refused.value.code == "sms_clinical"


def test_ordinary_words_that_contain_clinical_ones_are_fine():
    sms.validate_body("paworkflow: pegboard session, peggy, diagonal parking")
