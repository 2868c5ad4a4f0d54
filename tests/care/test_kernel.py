"""The shared kernel's append-only records: once inserted, an audit row, a clinical record, an
offer answer or a ledger line cannot be edited or removed through any ORM path; a correction is
a new row. Deleting the row a record hangs off still works as the schema says (cascade, set null)."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from care.kernel.names import person_name
from care.kernel.records import AppendOnlyError
from care.models import AuditEvent
from competencies.models import CompetencyEvent, Status
from respite.models import Entry, EntryKind
from rota.models import Offer, OfferResponse
from tests.competencies.factories import CompetencyFactory
from tests.factories import UserFactory
from tests.respite.factories import RespiteAccountFactory
from tests.rota.factories import ShiftFactory

pytestmark = pytest.mark.django_db


def audit_event(family, parent, pa, nurse):
    return AuditEvent.objects.create(actor=parent, recipient=family, action="test", summary="Written once")


def competency_event(family, parent, pa, nurse):
    competency = CompetencyFactory(pa=pa, recipient=family, signed_off_by=nurse)
    return CompetencyEvent.objects.create(competency=competency, status=Status.SUSPENDED, actor=nurse,
                                          reason="Written once")


def offer_response(family, parent, pa, nurse):
    offer = Offer.objects.create(shift=ShiftFactory(recipient=family), created_by=parent)
    return OfferResponse.objects.create(offer=offer, pa=pa, answer="no", outcome="declined", channel="sms",
                                        detail="Written once")


def ledger_entry(family, parent, pa, nurse):
    account = RespiteAccountFactory(recipient=family, carer=parent)
    return Entry.objects.create(account=account, kind=EntryKind.ADJUSTMENT, hours=Decimal("2"), actor=parent,
                                reason="Written once")


# What each record says, and the field an edit would rewrite.
RECORDS = {
    "audit event": (audit_event, "summary"),
    "competency event": (competency_event, "reason"),
    "offer response": (offer_response, "detail"),
    "respite ledger entry": (ledger_entry, "reason"),
}


@pytest.fixture(params=RECORDS.values(), ids=RECORDS.keys())
def record(request, family, parent, pa, nurse):
    make, field = request.param
    return make(family, parent, pa, nurse), field


def text_of(record, field):
    return type(record).objects.values_list(field, flat=True).get(pk=record.pk)


def test_an_audit_event_cannot_be_deleted(family, parent):
    event = AuditEvent.objects.create(actor=parent, recipient=family, action="test", summary="Written once")
    with pytest.raises(AppendOnlyError, match="Audit events are append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_stored_record_cannot_be_edited(record):
    record, field = record
    setattr(record, field, "Rewritten")
    with pytest.raises(AppendOnlyError, match="append-only"):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.save(update_fields=[field])
    assert text_of(record, field) == "Written once"


def test_a_record_cannot_be_deleted(record):
    record, _ = record
    with pytest.raises(AppendOnlyError):
        record.delete()
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_queryset_cannot_update_or_delete_records(record):
    record, field = record
    rows = type(record).objects.filter(pk=record.pk)
    with pytest.raises(AppendOnlyError):
        rows.update(**{field: "Rewritten"})
    with pytest.raises(AppendOnlyError):
        rows.delete()
    setattr(record, field, "Rewritten")
    with pytest.raises(AppendOnlyError):
        type(record).objects.bulk_update([record], [field])
    assert text_of(record, field) == "Written once"


def test_a_new_row_given_a_stored_rows_id_is_refused_not_written_over(record):
    record, field = record
    twin = type(record).objects.get(pk=record.pk)
    twin._state.adding = True  # as a freshly built instance with that id would be
    setattr(twin, field, "Rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert text_of(record, field) == "Written once"


def test_deleting_what_records_hang_off_still_follows_the_schema(family, parent, pa, nurse):
    """The deletion collector goes through the plain base manager: a cascade still removes a
    competency's history (the benchmarks clear competencies this way), and a user with audit
    rows cannot be deleted at all (deactivate them): the rows keep who acted."""
    event = competency_event(family, parent, pa, nurse)
    leaver = UserFactory()
    audit = AuditEvent.objects.create(actor=leaver, recipient=family, action="test", summary="Written once")
    event.competency.delete()
    assert not CompetencyEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(ProtectedError):
        leaver.delete()
    audit = AuditEvent.objects.get(pk=audit.pk)
    assert audit.actor == leaver and audit.actor_name == person_name(leaver) and audit.summary == "Written once"
