"""PostgreSQL only: the database itself refuses two overlapping booked shifts for one PA.

The services already refuse them under a row lock on the PA; this is the second line. SQLite has
no exclusion constraints, so there the migration does nothing.
"""
from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE rota_shift ADD CONSTRAINT rota_shift_pa_not_double_booked
    EXCLUDE USING gist (pa_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (pa_id IS NOT NULL AND status IN ('confirmed', 'completed'));
"""
DROP = "ALTER TABLE rota_shift DROP CONSTRAINT IF EXISTS rota_shift_pa_not_double_booked;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("rota", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
