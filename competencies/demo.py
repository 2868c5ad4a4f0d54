"""Demo data for competencies: only the catalogue (the demo's competencies are earned through
real delegations, in workflows/demo.py)."""
from .catalogue import install


def seed(cast):
    install()
