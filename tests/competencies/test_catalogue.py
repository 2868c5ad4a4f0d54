from competencies.models import Category, HealthcareTask


def test_catalogue_ships_the_delegable_tasks_across_every_category(db):
    delegable = HealthcareTask.objects.filter(delegable=True)
    assert delegable.count() >= 14
    assert {t.category for t in delegable} == set(Category.values)
    for task in delegable:
        assert task.criteria and all(isinstance(c, str) and c for c in task.criteria)
        assert task.review_interval_days > 0 and task.supervised_practices_required > 0
        assert task.risk_level in {"low", "medium", "high"}


def test_catalogue_marks_iv_medication_as_not_delegable(db):
    assert HealthcareTask.objects.get(code="iv-medication").delegable is False
