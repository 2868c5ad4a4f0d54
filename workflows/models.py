"""The workflows app's models, one module per flow (delegation/models.py, hospital/models.py),
gathered here so the app registry and the migrations find them where they always were."""
from .delegation.models import (  # noqa: F401
    AccountabilityHandover,
    CareGiven,
    ConditionChange,
    Concern,
    ConcernResponse,
    DelegationAgreement,
    DelegationOutcome,
    DelegationProcess,
    DelegationRiskAssessment,
    Supervision,
)
from .hospital.models import (  # noqa: F401
    AgreementEvent,
    HospitalAgreement,
    HospitalShift,
    HospitalTaskDecision,
    WardLink,
    WardReview,
)
