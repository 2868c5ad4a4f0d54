"""How a person is named on pages, forms and the audit log: their full name, else their username."""


def person_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.username
