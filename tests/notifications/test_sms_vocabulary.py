"""Texts say nothing clinical: not a condition, treatment, medicine or delegated task, however it
is spelled. The word check is the second line (texts are fixed templates first); it is broad, and
the apps above notifications add their own words (the competency catalogue's tasks and categories)
without notifications importing them."""
import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications import sms

ROOT = Path(__file__).resolve().parents[2]

SAID_IN_ISSUE_15 = ["stoma care", "NG tube", "nasogastric", "BiPAP", "CPAP", "chemotherapy", "cancer", "oncology",
                    "morphine", "dialysis", "palliative", "Respiratory", "Continence"]
MORE = ["TPN", "IV", "DNACPR", "PEG", "a PICC line", "COPD", "epileptic", "Parkinson's", "dementia",
        "stroke", "blood pressure", "pressure sore", "antibiotics", "chest infection", "anaphylaxis",
        "ventilator", "end of life care", "hospice", "autism", "schizophrenia", "HIV", "sectioned", "wound dressing",
        "colostomy", "warfarin", "paracetamol", "hypoglycaemia", "cerebral palsy", "motor neurone disease"]


def refused(body):
    with pytest.raises(ValidationError) as exc:
        sms.validate_body(body)
    return exc.value.code


@pytest.mark.parametrize("phrase", SAID_IN_ISSUE_15 + MORE)
def test_conditions_and_treatments_are_refused_in_any_case(phrase):
    for body in (f"paworkflow: {phrase} tomorrow at 10:00", f"PAWORKFLOW: {phrase.upper()}.", phrase.lower()):
        assert refused(body) == "sms_clinical", body


@pytest.mark.parametrize("abbreviation", ["MS", "MND", "CP", "TB", "MRSA"])
def test_abbreviations_that_are_also_words_are_refused_in_capitals(abbreviation):
    assert refused(f"paworkflow: his {abbreviation} review at 10:00") == "sms_clinical"


@pytest.mark.parametrize("body", [
    "paworkflow: shift available Tue 4 Mar 08:00-14:00. Reply YES 4821 to take it or NO 4821.",
    "paworkflow: Ms Patel invited you to join a care circle. Open by 4 Mar: https://pa.example.org/join/x/",
    "Ivy's respite: 3 hours booked. Fine, thanks - a good morning; hope the bus was on time.",
    "paworkflow: record C-12 is now signed off. Details: https://pa.example.org/c/12/",
])
def test_everyday_words_that_merely_contain_a_term_are_not_refused(body):
    sms.validate_body(body)


def test_every_catalogue_task_name_and_category_is_refused(db):
    from competencies.models import Category, HealthcareTask

    names = list(HealthcareTask.objects.values_list("name", flat=True))
    assert len(names) >= 17
    for name in names + [label for _value, label in Category.choices] + list(Category.values):
        assert refused(f"paworkflow: {name} at 10:00") == "sms_clinical", name


def test_an_app_registers_its_own_words_without_notifications_importing_it():
    def words():
        return ["Zephyrine drill"]

    sms.register_vocabulary(words)
    try:
        assert refused("paworkflow: zephyrine  DRILL at 10:00") == "sms_clinical"
    finally:
        sms.unregister_vocabulary(words)
    sms.validate_body("paworkflow: Zephyrine drill at 10:00")


# --- the texts the product sends still pass --------------------------------------------------------

# Every module that writes the body of a text, and the functions it hands bodies to.
TEXT_MODULES = ["rota/services.py", "care/invitations.py", "care/services.py", "accounts/recovery.py",
                "respite/services.py", "respite/settlement.py", "competencies/services.py"]
SENDERS = {"send_sms", "_text_pa"}


def _render(node):
    """A string literal or f-string as it reads with every placeholder filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_render(part) if isinstance(part, ast.Constant) else "7" for part in node.values)
    return None


def text_bodies(path):
    """The literal parts of every body handed to send_sms (or rota's _text_pa), or written as a
    text's "body" for send_sms_many, in one module: the arguments themselves and whatever was
    assigned to a name passed as the body."""
    tree = ast.parse((ROOT / path).read_text())
    assigned = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    bodies = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):  # a text for send_sms_many: {"user": ..., "body": ..., ...}
            args = [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "body"]
            for arg in args:
                values = assigned.get(arg.id, []) if isinstance(arg, ast.Name) else [arg]
                for value in values:
                    bodies += [text for text in map(_render, ast.walk(value)) if text]
            continue
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in SENDERS:
            continue
        args = [k.value for k in node.keywords if k.arg == "body"] + node.args[2:3]
        for arg in args:
            values = assigned.get(arg.id, []) if isinstance(arg, ast.Name) else [arg]
            for value in values:
                bodies += [text for text in map(_render, ast.walk(value)) if text]
    return bodies


def test_the_product_texts_are_found_and_still_pass():
    found = {path: text_bodies(path) for path in TEXT_MODULES}
    assert all(found.values()), found
    for path, bodies in found.items():
        for body in bodies:
            assert sms.clinical_word(body) is None, (path, body, sms.clinical_word(body))


# --- The shortcut: the regex runs only when a word of the body starts some term -----------------

def regex_alone(body):
    """What clinical_word answered before its shortcut: the vocabulary's regexes, tried in turn."""
    extra = tuple(sorted({str(term) for source in sms._sources for term in source() if str(term).strip()}))
    for matcher in sms._matcher(extra):
        found = matcher.search(body)
        if found:
            return found.group(0)
    return None


def every_term():
    return [*sms.clinical_words.TERMS, *sms.clinical_words.CAPITALS]


def test_every_term_is_still_found_however_it_is_written():
    for term in every_term():
        said = term.rstrip("*")
        written = [said, said + "es", said.upper(), said.title(), f"({said})", f"x {said}, y", f"{said}'s"]
        for body in written:
            assert sms.clinical_word(body) == regex_alone(body), body
        assert sms.clinical_word(f"paworkflow: re {said} at 10:00") is not None, term


fragments = st.sampled_from(
    [term.rstrip("*") for term in every_term()] + ["paworkflow:", "shift", "10:00", "-", "'", "_", "é", "ſ", "K",
                                                    "Reply YES 123456", "https://x.invalid/rota/", "£13.50"]
)
separators = st.sampled_from([" ", "", "-", "_", "\n", ". ", "  ", "\u00a0", "s "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(fragments, separators), max_size=8), st.booleans())
def test_the_shortcut_answers_as_the_regex_alone_does(parts, upper):
    body = "".join(fragment + separator for fragment, separator in parts)
    body = body.upper() if upper else body
    assert sms.clinical_word(body) == regex_alone(body)
