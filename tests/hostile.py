"""Hostile input for the property tests of every form: what a tired thumb, a pasted document or an
attacker may type. `hostile_form_data` fills a form's fields from these; `assert_no_invalid_rows`
proves that whatever the page answered, nothing invalid reached the database."""
import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Function-scoped fixtures (client, users) are shared by every example on purpose: each example is
# one more request by the same person; the database is rolled back after the whole test.
FORM_PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NUL, RTL, EMOJI = "\x00", "\u202e", "\U0001F489"
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", NUL, f"abc{NUL}def", f"{RTL}evil.exe", EMOJI * 20, "<script>alert(1)</script>",
                     "'; DROP TABLE care_carerecipient; --", "x" * 100_000, "%00", "\r\n\t", "٣٤٥", "NaN", "-1"]),
)
far_dates = st.sampled_from(["0001-01-01", "1800-01-01", "1900-01-01", "9999-12-31", "2999-01-01",
                             "2026-02-30", "31/12/9999", "not a date", ""])
far_times = st.sampled_from(["00:00", "23:59", "24:00", "25:61", "-1:00", "", "noon"])
hostile_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-0", "0.13", "1e308", "-1e308", "NaN", "Infinity", "9" * 40, "0.0000001", "1,5"]),
)
hostile_value = st.one_of(hostile_text, far_dates, far_times, hostile_numbers)


def hostile_form_data(field_names, valid=None):
    """A strategy of POST data: each named field either its valid value or something hostile."""
    valid = valid or {}

    def one(name):
        options = [hostile_value]
        if name in valid:
            options.append(st.just(valid[name]))
        return st.one_of(*options)

    return st.fixed_dictionaries({name: one(name) for name in field_names})


def assert_no_invalid_rows(*models, since_pk=0):
    """Every row of `models` created after `since_pk` passes the model's own validation."""
    for model in models:
        for row in model.objects.filter(pk__gt=since_pk):
            row.full_clean()


def today_plus(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def mostly_valid_form_data(field_names, valid, most=3):
    """A strategy of POST data that is the valid submission with at most `most` fields made
    hostile: each field's own refusal is reached (and the valid path itself, with none), which
    `hostile_form_data` over many fields almost never gives."""
    names = sorted(field_names)

    @st.composite
    def data(draw):
        spoiled = draw(st.sets(st.sampled_from(names), max_size=most))
        return {name: draw(hostile_value) if name in spoiled else valid.get(name, "") for name in names}

    return data()
