"""The shared kernel every app stands on: append-only records, the read-only admin, the
Europe/London clock helpers, the person-name helper and the form renderer."""
