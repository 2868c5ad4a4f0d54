"""Delegation of a healthcare task: DelegationFlow and everything it needs.

DelegationFlow is importable from here because that is where Viewflow looks for it: every
stored process and task names it "workflows/delegation.DelegationFlow" (see flow.py).
"""
from .flow import DelegationFlow  # noqa: F401
