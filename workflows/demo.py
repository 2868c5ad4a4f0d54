"""Demo data of both flows, driven through the real flows (seed_demo runs `seed`; each part is
idempotent): the delegations first, then the hospital agreement of a PA they signed off."""
from .delegation import demo as delegation_demo
from .hospital import demo as hospital_demo


def seed(cast):
    delegation_demo.seed(cast)
    hospital_demo.seed(cast)
