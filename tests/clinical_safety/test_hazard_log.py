"""The hazard log's controls name the tests that prove them: each named test must exist, and
every hazard names at least one or says in words that its control is not yet in place."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"
NAMED_TEST = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def hazards():
    text = LOG.read_text(encoding="utf-8")
    return re.findall(r"^## (H\d+ — .+?)\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)


def defined_tests(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_every_test_the_hazard_log_names_exists():
    missing = []
    for title, body in hazards():
        for path, name in NAMED_TEST.findall(body):
            if not (ROOT / path).exists() or name not in defined_tests(path):
                missing.append(f"{title}: {path}::{name}")
    assert not missing, "The hazard log names tests that do not exist:\n" + "\n".join(missing)


def test_every_hazard_names_a_test_or_says_its_control_is_not_in_place():
    found = hazards()
    assert len(found) >= 8
    for title, body in found:
        for heading in ("**Cause:**", "**Effect:**", "**Initial risk:**", "**Controls:**", "**Residual risk:**"):
            assert heading in body, (title, heading)
        assert NAMED_TEST.search(body) or "not yet in place" in body, title


def test_the_check_notices_a_missing_test(tmp_path):
    """The checker itself can fail: a made-up name is not found."""
    assert "test_this_test_does_not_exist" not in defined_tests("tests/rota/test_rules.py")
