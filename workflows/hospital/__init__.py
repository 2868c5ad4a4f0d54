"""PA-in-hospital agreements: HospitalAgreementFlow and everything it needs.

HospitalAgreementFlow is importable from here because that is where Viewflow looks for it:
every stored process and task names it "workflows/hospital.HospitalAgreementFlow" (see flow.py).
"""
from .flow import HospitalAgreementFlow  # noqa: F401
