"""The demo (seed_demo) shows a swap waiting for the budget holder in family one, made once."""
from django.core.management import call_command
from django.urls import reverse

from care.models import CareRecipient
from rota.models import Swap


def test_the_demo_has_one_swap_waiting_for_approval_in_family_one(client, db):
    call_command("seed_demo")
    call_command("seed_demo")
    swap = Swap.objects.select_related("shift__recipient", "from_pa", "to_pa").get()
    assert swap.status == Swap.Status.ACCEPTED and swap.kind == Swap.Kind.SWAP
    assert (swap.from_pa.username, swap.to_pa.username) == ("pa1", "pa2")
    assert swap.shift.pa == swap.from_pa  # still theirs until the budget holder approves
    family = swap.shift.recipient
    assert CareRecipient.objects.order_by("pk").first() == family
    client.login(username="parent", password="demo-pass-2026")
    page = client.get(reverse("rota:swaps", args=[family.pk])).content.decode()
    assert reverse("rota:swap_decide", args=[swap.pk]) in page  # one tap to approve it
