import functools

from django.apps import AppConfig


@functools.lru_cache(maxsize=1)
def catalogue_words():
    """The catalogue's task names and categories, which no text may name. Read from the shipped
    catalogue (code, not the database: clinicians do not edit it), once."""
    from .catalogue import SHIPPED
    from .models import Category

    names = [row[1] for row in SHIPPED.CATALOGUE]
    categories = [word for value, label in Category.choices for word in (value, value.replace("_", " "), label)]
    return tuple(names + categories)


class CompetenciesConfig(AppConfig):
    name = "competencies"

    def ready(self):
        from notifications.sms import register_vocabulary

        from . import caseload, home, receivers  # noqa: F401  caseload rows, home section, signal receivers

        # notifications is the floor and cannot import us: it asks for these words when it checks a text.
        register_vocabulary(catalogue_words)
