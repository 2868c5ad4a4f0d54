import pytest

from competencies.catalogue import install


@pytest.fixture(autouse=True)
def _catalogue(request):
    """The catalogue comes from a data migration, which a transactional test elsewhere in the
    suite may have flushed: put it back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    install()
