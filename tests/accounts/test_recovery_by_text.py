"""Password reset by a texted code for people with only a mobile: it works, it is throttled per
number and per address, and its answers never say whether an account exists."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from care.models import AuditEvent
from tests.accounts.conftest import texts_to
from tests.factories import PAProfileFactory, ProfileFactory, UserFactory

NEW_PASSWORD = "Kettle-Harbour-Ribbon-27"
NOBODY = "+447700900999"


@pytest.fixture
def mobile_only(db):
    """A PA whose account has a password but no email address."""
    user = UserFactory(username="mobile-only", email="")
    ProfileFactory(user=user, mobile="+447700900777")
    return user


def ask(client, committed, mobile, ip="203.0.113.5"):
    with committed():
        return client.post(reverse("recover_by_text"), {"mobile": mobile}, REMOTE_ADDR=ip)


def code_in(text):
    return re.search(r"\b(\d{6})\b", text).group(1)


def enter(client, code, password=NEW_PASSWORD, ip="203.0.113.5"):
    return client.post(reverse("recover_by_text_code"),
                       {"code": code, "password1": password, "password2": password}, REMOTE_ADDR=ip)


def test_a_texted_code_sets_a_new_password(client, committed, mobile_only):
    response = ask(client, committed, "07700 900777")
    assert response.status_code == 302 and response["Location"] == reverse("recover_by_text_code")
    [text] = texts_to("+447700900777")
    response = enter(client, code_in(text))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.login(username="mobile-only", password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=mobile_only, action="account.password_reset_by_text").exists()
    # The code works once.
    assert ask(client, committed, "07700 900777").status_code == 302
    assert enter(client, code_in(text), password="Another-Long-Pass-99").status_code == 200


def test_the_answer_is_the_same_for_a_number_with_no_account(client, committed, mobile_only):
    known = ask(client, committed, "+447700900777")
    known_page = client.get(known["Location"]).content.decode()
    other = type(client)()
    unknown = ask(other, committed, NOBODY)
    unknown_page = other.get(unknown["Location"]).content.decode()
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    neutral = "If that number belongs to an account with a password, we have texted it a code."
    assert neutral in known_page and neutral in unknown_page
    assert texts_to(NOBODY) == []
    # A guessed code for the unknown number fails exactly like a wrong code for a real one.
    wrong_known = enter(client, "000000").content.decode()
    wrong_unknown = enter(other, "000000").content.decode()
    assert "That code is wrong or has expired" in wrong_known and "That code is wrong or has expired" in wrong_unknown


def test_a_pa_without_a_login_gets_the_same_answer_and_no_code(client, committed, db):
    user = UserFactory(username="texts-only")
    user.set_unusable_password()
    user.save()
    ProfileFactory(user=user, mobile="+447700900778")
    assert ask(client, committed, "+447700900778").status_code == 302
    assert texts_to("+447700900778") == []


def test_a_code_dies_after_five_wrong_tries(client, committed, mobile_only):
    ask(client, committed, "+447700900777")
    code = code_in(texts_to("+447700900777")[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert enter(client, wrong).status_code == 200
    assert enter(client, code).status_code == 200
    assert not client.login(username="mobile-only", password=NEW_PASSWORD)


def test_asking_again_retires_the_earlier_code(client, committed, mobile_only):
    ask(client, committed, "+447700900777")
    ask(client, committed, "+447700900777")
    first, second = texts_to("+447700900777")
    if code_in(first) != code_in(second):
        assert enter(client, code_in(first)).status_code == 200
    assert enter(client, code_in(second)).status_code == 302


def test_codes_are_throttled_per_number_whether_or_not_it_has_an_account(client, committed, mobile_only):
    for number in ("+447700900777", NOBODY):
        for i in range(3):
            assert ask(client, committed, number, ip=f"198.51.100.{i}").status_code == 302
        response = ask(client, committed, number, ip="198.51.100.99")
        assert response.status_code == 429 and "Too many codes" in response.content.decode()
    assert len(texts_to("+447700900777")) == 3


def test_codes_are_throttled_per_address(client, committed, db):
    for i in range(10):
        assert ask(client, committed, f"+4477009006{i:02d}", ip="192.0.2.1").status_code == 302
    assert ask(client, committed, "+447700900650", ip="192.0.2.1").status_code == 429
    assert ask(client, committed, "+447700900650", ip="192.0.2.2").status_code == 302


def test_guessing_codes_is_throttled_per_number(client, committed, mobile_only):
    ask(client, committed, "+447700900777")
    code = code_in(texts_to("+447700900777")[0])
    # New codes keep coming (one per hour is allowed here), but the number's guesses run out.
    statuses = []
    for i in range(11):
        statuses.append(enter(client, "000000" if code != "000000" else "111111", ip=f"198.51.100.{i}").status_code)
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_an_unparseable_number_is_a_form_error(client, db):
    response = client.post(reverse("recover_by_text"), {"mobile": "not a number"})
    assert response.status_code == 200 and "Enter a mobile number" in response.content.decode()


def test_the_code_page_without_a_number_starts_again(client, db):
    assert client.get(reverse("recover_by_text_code"))["Location"] == reverse("recover_by_text")


def test_a_weak_new_password_is_refused_and_the_code_still_works(client, committed, mobile_only):
    ask(client, committed, "+447700900777")
    code = code_in(texts_to("+447700900777")[0])
    response = enter(client, code, password="password")
    assert response.status_code == 200 and "too common" in response.content.decode()
    assert enter(client, code).status_code == 302
    assert get_user_model().objects.get(pk=mobile_only.pk).check_password(NEW_PASSWORD)


def test_a_pa_with_rates_and_a_login_recovers_the_same_account(client, committed, db):
    user = UserFactory(username="rota-pa", email="")
    ProfileFactory(user=user, mobile="+447700900779")
    PAProfileFactory(user=user)
    ask(client, committed, "+447700900779")
    enter(client, code_in(texts_to("+447700900779")[0]))
    assert client.login(username="rota-pa", password=NEW_PASSWORD)
