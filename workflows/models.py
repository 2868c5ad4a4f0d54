"""Process models of the workflows app. Each flow keeps its models in its own module."""
from .delegation_models import (  # noqa: F401
    DelegationAgreement,
    DelegationOutcome,
    DelegationProcess,
    DelegationRiskAssessment,
)
from .hospital_models import (  # noqa: F401
    AgreementEvent,
    HospitalAgreement,
    HospitalShift,
    HospitalTaskDecision,
    WardLink,
    WardReview,
)
