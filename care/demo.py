"""The demo families (invented people, Ofcom drama-range numbers). Idempotent."""
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    INVITATION_VALID_DAYS,
    CareRecipient,
    ClinicianProfile,
    Invitation,
    Membership,
    PAProfile,
    PersonalHealthBudget,
    Profile,
    ContinuingCare,
    Role,
)
from .services import add_member, end_membership

DEMO_PASSWORD = "demo-pass-2026"

FAMILY_ONE = {
    "recipient": dict(display_name="Alfie Demo", date_of_birth=datetime.date(2017, 3, 14), nhs_number="9434765919",
                      address="1 Example Row, Leeds LS1 1AA"),
    "condition": "a child with a tracheostomy",
    "budget": dict(kind="phb", management_option="direct_payment", continuing_care=ContinuingCare.CHILDREN,
                   commissioning_area="NHS West Yorkshire ICB", amount=Decimal("78000.00"),
                   started_on=datetime.date(2023, 4, 1)),
    "people": [
        ("parent", "Sam", "Demo", [Role.BUDGET_HOLDER, Role.CARER], "+447700900001"),
        ("grandparent", "Pat", "Demo", [Role.CARER], "+447700900002"),
        ("pa1", "Jordan", "Ash", [Role.PA], "+447700900101"),
        ("pa2", "Riley", "Birch", [Role.PA], "+447700900102"),
        ("pa3", "Casey", "Cedar", [Role.PA], "+447700900103"),
        ("nurse", "Morgan", "Nurse", [Role.CLINICIAN], "+447700900201"),
        ("ward", "Alex", "Ward", [Role.WARD_MANAGER], ""),
        ("coordinator", "Robin", "Coord", [Role.COORDINATOR], ""),
    ],
}
FAMILY_TWO = {
    "recipient": dict(display_name="Bea Sample", date_of_birth=datetime.date(1984, 9, 2), nhs_number="4010232137",
                      address="2 Sample Street, York YO1 1AA"),
    "condition": "an adult with diabetes",
    "budget": dict(kind="phb", management_option="direct_payment", commissioning_area="NHS Humber and North Yorkshire ICB",
                   amount=Decimal("78000.00"), started_on=datetime.date(2024, 4, 1)),
    "people": [
        ("other-parent", "Kim", "Sample", [Role.BUDGET_HOLDER, Role.CARER], "+447700900301"),
        ("other-pa", "Drew", "Elm", [Role.PA], "+447700900302"),
        ("other-nurse", "Jamie", "Fir", [Role.CLINICIAN], "+447700900303"),
    ],
}
# Two more families on Robin Coord's caseload, for the caseload page and the quarterly return:
# a child eligible for children's continuing care whose budget is a mix, and an adult with a
# notional personal wheelchair budget that began this financial year.
FAMILY_THREE = {
    "recipient": dict(display_name="Cody Example", date_of_birth=datetime.date(2014, 8, 19), nhs_number="4857773457",
                      address="3 Example Court, Leeds LS2 2BB"),
    "condition": "a child with complex needs",
    "budget": dict(kind="ipb", management_option="mixed", direct_payment_share=Decimal("40"),
                   third_party_share=Decimal("60"), continuing_care=ContinuingCare.CHILDREN,
                   commissioning_area="NHS West Yorkshire ICB", amount=Decimal("64000.00"),
                   started_on=datetime.date(2025, 10, 1)),
    "people": [
        ("third-parent", "Jess", "Example", [Role.BUDGET_HOLDER, Role.CARER], "+447700900401"),
        ("coordinator", "Robin", "Coord", [Role.COORDINATOR], ""),
    ],
}
FAMILY_FOUR = {
    "recipient": dict(display_name="Dev Wheel", date_of_birth=datetime.date(1971, 2, 11), nhs_number="4857773465",
                      address="4 Example Lane, Wakefield WF1 1CC"),
    "condition": "an adult who uses a wheelchair",
    "budget": dict(kind="pwb", management_option="notional", commissioning_area="NHS West Yorkshire ICB",
                   amount=Decimal("3200.00"), started_on=None),
    "people": [
        ("fourth-holder", "Lou", "Wheel", [Role.BUDGET_HOLDER], "+447700900402"),
        ("coordinator", "Robin", "Coord", [Role.COORDINATOR], ""),
    ],
}
FAMILIES = (FAMILY_ONE, FAMILY_TWO, FAMILY_THREE, FAMILY_FOUR)
CLINICIANS = {
    "nurse": dict(register="nmc", registration_number="12A3456E", organisation="Leeds Community Healthcare (demo)"),
    "other-nurse": dict(register="nmc", registration_number="98B7654C", organisation="York Community Nursing (demo)"),
}


def _user(username, first, last):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _family(spec):
    recipient, _ = CareRecipient.objects.get_or_create(
        nhs_number=spec["recipient"]["nhs_number"], defaults=spec["recipient"]
    )
    users = {}
    start = datetime.date(2025, 1, 6)
    for username, first, last, roles, mobile in spec["people"]:
        user = _user(username, first, last)
        users[username] = user
        if mobile:
            Profile.objects.get_or_create(user=user, defaults={"mobile": mobile, "sms_consent": True})
        for role in roles:
            if not Membership.objects.filter(recipient=recipient, user=user, role=role).exists():
                add_member(recipient=recipient, user=user, role=role, started_on=start)
        if Role.PA in roles:
            PAProfile.objects.get_or_create(
                user=user, defaults={"hourly_rate": Decimal("13.50"), "sleep_in_rate": Decimal("95.00")}
            )
        if username in CLINICIANS:
            ClinicianProfile.objects.get_or_create(user=user, defaults=CLINICIANS[username])
    year_start = datetime.date(timezone.localdate().year, 4, 1)
    if year_start > timezone.localdate():
        year_start = year_start.replace(year=year_start.year - 1)
    budget = dict(spec["budget"])
    budget["started_on"] = budget["started_on"] or year_start
    PersonalHealthBudget.objects.get_or_create(
        recipient=recipient,
        period_start=year_start,
        defaults=dict(period_end=year_start.replace(year=year_start.year + 1), contingency=Decimal("2500.00"), **budget),
    )
    return recipient, users


def _pending_invitation(recipient, inviter, role, first, last, mobile, **extra):
    """An invitation waiting for an answer. Nobody holds its link (only a hash is stored):
    resend it from the circle page to get one texted to the console."""
    invitation = Invitation(recipient=recipient, mobile=mobile)
    invitation.new_token()
    invitation, _ = Invitation.objects.get_or_create(
        recipient=recipient, mobile=mobile, status=Invitation.Status.PENDING,
        defaults=dict(role=role, first_name=first, last_name=last, created_by=inviter, token_hash=invitation.token_hash,
                      expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS), sent_count=1,
                      last_sent_at=timezone.now(), **extra),
    )
    return invitation


def _former_pa(recipient, ended_by):
    """Someone who has left the circle, so the circle page shows what leaving looks like."""
    user = _user("former-pa", "Frankie", "Gorse")
    Profile.objects.get_or_create(user=user, defaults={"mobile": "+447700900109", "sms_consent": True})
    PAProfile.objects.get_or_create(user=user, defaults={"hourly_rate": Decimal("13.00"), "sleep_in_rate": Decimal("90.00")})
    if not Membership.objects.filter(recipient=recipient, user=user, role=Role.PA).exists():
        membership = add_member(recipient=recipient, user=user, role=Role.PA, started_on=datetime.date(2025, 1, 6))
        end_membership(membership=membership, actor=ended_by, ended_on=datetime.date(2025, 9, 30),
                       reason="Moved to another area")
    return user


def seed(cast):
    one, one_users = _family(FAMILY_ONE)
    two, two_users = _family(FAMILY_TWO)
    _three, three_users = _family(FAMILY_THREE)
    _four, four_users = _family(FAMILY_FOUR)
    _pending_invitation(one, one_users["parent"], Role.PA, "Charlie", "Dune", "+447700900104",
                        hourly_rate=Decimal("13.50"), sleep_in_rate=Decimal("95.00"))
    _former_pa(one, one_users["parent"])
    _pending_invitation(two, two_users["other-parent"], Role.CARER, "Lee", "Spare", "+447700900399")
    cast.update(family_one=one, family_two=two, users={**three_users, **four_users, **one_users, **two_users})
    admin = _user("admin", "Demo", "Admin")
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    cast["users"]["admin"] = admin


def logins(cast):
    rows = []
    listed = set()
    for spec in FAMILIES:
        for username, _first, _last, roles, _mobile in spec["people"]:
            if username in listed:
                continue
            listed.add(username)
            rows.append((username, ", ".join(Role(r).label for r in roles), spec["recipient"]["display_name"]))
    rows.append(("admin", "Django admin (superuser)", "—"))
    return rows
