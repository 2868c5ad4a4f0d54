"""notifications is the floor: it imports no app above it, and reaches people and circles only
through the settings that name them (NOTIFICATIONS_CONTACT, NOTIFICATIONS_CIRCLE_MODEL)."""
import ast
from pathlib import Path

import notifications
from notifications.checks import check_contact_hook
from notifications.contacts import Contact, contact_for
from notifications.models import Message
from tests.factories import ProfileFactory

ABOVE = {"care", "accounts", "competencies", "employment", "rota", "workflows", "respite"}


def imported_apps(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_notifications_imports_no_app_above_it():
    root = Path(notifications.__file__).parent
    offenders = {
        f"{path.relative_to(root)}: {app}"
        for path in root.rglob("*.py")
        for app in imported_apps(path)
        if app in ABOVE
    }
    assert offenders == set()


def test_a_message_points_at_the_circle_model_the_setting_names(settings):
    assert Message._meta.get_field("recipient").related_model._meta.label == settings.NOTIFICATIONS_CIRCLE_MODEL


def test_the_contact_hook_answers_by_user_and_by_number(db):
    profile = ProfileFactory(mobile="+447700900321", sms_consent=True)
    assert contact_for(user=profile.user) == Contact(mobile="+447700900321", consents=True, user=profile.user)
    assert contact_for(number="+447700900321") == Contact(mobile="+447700900321", consents=True, user=profile.user)
    assert contact_for(number="+447700900999") is None
    assert contact_for(number="") is None
    no_mobile = ProfileFactory(mobile="", sms_consent=True)
    assert contact_for(user=no_mobile.user).mobile is None


def test_the_check_catches_a_contact_hook_that_does_not_import(settings):
    assert check_contact_hook(None) == []
    settings.NOTIFICATIONS_CONTACT = "care.contacts.nobody_here"
    assert [problem.id for problem in check_contact_hook(None)] == ["notifications.E004"]
