"""Process models of the workflows app. Each flow keeps its models in its own module."""
from .delegation_models import (  # noqa: F401
    DelegationAgreement,
    DelegationOutcome,
    DelegationProcess,
    DelegationRiskAssessment,
)
