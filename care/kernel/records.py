"""Append-only records: clinical decisions, ledgers, audit rows and flow events are only ever
inserted; a correction is a new row. Saving a stored row, updating or deleting through a
queryset, and deleting an instance all refuse, so no path through the ORM rewrites history.

Deleting a parent row still cascades into its records (or sets their link to NULL): Django's
deletion collector reaches related rows through the plain base manager, not this queryset.
"""
from django.db import models


class AppendOnlyError(ValueError):
    """A stored record was to be changed or removed."""


def _refuse(model):
    raise AppendOnlyError(f"{model._meta.verbose_name_plural.capitalize()} are append-only.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model)

    def delete(self):
        _refuse(self.model)

    # bulk_update rewrites rows; bulk_create stays allowed (it only inserts).
    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self.model)

    def update_or_create(self, *args, **kwargs):
        _refuse(self.model)


class AppendOnly(models.Model):
    """Abstract base for a record that is inserted once and never changed or removed.

    A subclass with its own queryset must derive it from `AppendOnlyQuerySet`.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            _refuse(type(self))
        # Always an INSERT: a new instance given a stored row's pk would otherwise be saved as an
        # UPDATE of that row. With update_fields or force_update, Django refuses the combination.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(type(self))
