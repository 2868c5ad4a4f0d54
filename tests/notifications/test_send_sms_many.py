"""send_sms_many: a batch of texts queued exactly as send_sms would queue them one by one, in a fixed
number of queries however many there are."""
import pytest

import notifications
from notifications.backends import locmem
from notifications.models import Message, OptOut
from tests.factories import ProfileFactory, UserFactory

BODY = "paworkflow: record C{n} is now expired. Details: https://pa.example.org/c/{n}/"


def people():
    """Someone who can be texted, someone who said no, someone with no mobile, someone with no
    profile, someone who texted STOP, and a bare number nobody owns."""
    yes = ProfileFactory(mobile="+447700900101").user
    no = ProfileFactory(mobile="+447700900102", sms_consent=False).user
    blank = ProfileFactory(mobile="").user
    unknown = UserFactory(password=None)
    stopped = ProfileFactory(mobile="+447700900105").user
    OptOut.objects.create(number="+447700900105", reason=OptOut.Reason.REPLIED_STOP)
    return [{"user": yes}, {"user": no}, {"user": blank}, {"user": unknown}, {"user": stopped},
            {"number": "+447700900106"}, {"number": "+447700900101"}]


def batch(addressees, prefix):
    return [{**to, "body": BODY.format(n=i), "purpose": "competency_change", "idempotency_key": f"{prefix}-{i}"}
            for i, to in enumerate(addressees)]


def rows(prefix):
    return sorted(Message.objects.filter(idempotency_key__startswith=prefix)
                  .values_list("idempotency_key", "user_id", "to", "body", "purpose", "segments", "status"))


def test_a_batch_queues_what_one_by_one_would(db, django_capture_on_commit_callbacks):
    addressees = people()
    with django_capture_on_commit_callbacks(execute=True):
        one_by_one = [notifications.send_sms(**text) for text in batch(addressees, "single")]
        many = notifications.send_sms_many(batch(addressees, "many"))
    assert [m is None for m in many] == [m is None for m in one_by_one] == [False, True, True, True, True, False, False]
    assert [row[1:] for row in rows("many")] == [row[1:] for row in rows("single")]
    assert many[6].user == addressees[0]["user"]  # a bare number that is someone's is theirs
    # Both ways sent the same texts, each once.
    assert sorted((t.to, t.body) for t in locmem.outbox) == sorted(2 * [(r[2], r[3]) for r in rows("many")])


def test_a_key_already_queued_or_repeated_in_the_batch_is_queued_once(db, django_capture_on_commit_callbacks):
    user = ProfileFactory().user
    text = {"user": user, "body": BODY.format(n=1), "purpose": "competency_change", "idempotency_key": "once"}
    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.send_sms(**text)
        again = notifications.send_sms_many([text, dict(text), {**text, "idempotency_key": "twice"}])
    assert again[0].pk == again[1].pk == first.pk and again[2].pk != first.pk
    assert Message.objects.count() == 2 and len(locmem.outbox) == 2


def test_bad_calls_are_refused_before_anything_is_queued(db):
    user = ProfileFactory().user
    good = {"user": user, "body": BODY.format(n=1), "purpose": "competency_change", "idempotency_key": "k"}
    with pytest.raises(ValueError):
        notifications.send_sms_many([good, {**good, "idempotency_key": ""}])
    assert not Message.objects.exists()


@pytest.mark.parametrize("size", [2, 40])
def test_a_batch_costs_the_same_queries_whatever_its_size(db, size, django_assert_max_num_queries):
    users = [ProfileFactory().user for _ in range(size)]
    # keys, contacts, opt-outs, the insert in its savepoint (3)
    with django_assert_max_num_queries(6):
        queued = notifications.send_sms_many(batch([{"user": u} for u in users], "n"))
    assert all(queued) and Message.objects.count() == size
