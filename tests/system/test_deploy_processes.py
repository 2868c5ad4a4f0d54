"""deploy/systemd runs exactly the processes the system tests run from deploy/Procfile, and stops
them the way the tests stop them; systemd itself is not run here, so this is what keeps the two
from drifting apart."""
import re
from pathlib import Path

from .helpers import ROOT, procfile_lines

UNITS = ROOT / "deploy" / "systemd"


def unit(name):
    return {key: value for key, value in re.findall(r"^(\w+)=(.*)$", (UNITS / name).read_text(), re.MULTILINE)}


def procfile_command(line, **values):
    """A Procfile line with its ${VAR:-default} filled in from `values` (or the default)."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: values.get(m.group(1), m.group(2)), procfile_lines()[line])


def test_every_unit_runs_the_procfile_line_the_system_tests_run():
    venv = "/srv/paworkflow/.venv/bin/"
    assert unit("paworkflow-web@.service")["ExecStart"] == venv + procfile_command("web", PORT="%i")
    assert unit("paworkflow-worker.service")["ExecStart"] == venv + procfile_command("worker")
    beat = unit("paworkflow-beat.service")["ExecStart"]
    assert beat == venv + procfile_command("beat", BEAT_SCHEDULE="/var/lib/paworkflow/celerybeat-schedule")


def test_the_worker_is_stopped_warm_and_given_time_to_finish_a_send():
    worker = unit("paworkflow-worker.service")
    # The system test stops the worker this way (SIGTERM to the main process only) mid-queue and
    # proves every text goes once; SIGTERM to the whole group kills the pool's children mid-send.
    assert worker["KillSignal"] == "SIGTERM" and worker["KillMode"] == "mixed"
    # A send may wait up to 2 s for its turn under the rate and 15 s for Twilio's answer.
    assert int(worker["TimeoutStopSec"]) >= 2 + 15


def test_the_units_read_the_environment_file_the_example_documents():
    example = Path(ROOT / "deploy" / "paworkflow.env.example").read_text()
    assert "/etc/paworkflow/paworkflow.env" in example
    for name in ("paworkflow-web@.service", "paworkflow-worker.service", "paworkflow-beat.service"):
        assert unit(name)["EnvironmentFile"] == "/etc/paworkflow/paworkflow.env"
