"""`python -m bench [name ...]`: run every (or the named) bench/<name>.py main() in a child process,
print one table of figures and write bench/results.json."""
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def names():
    """Every bench/<name>.py with a main(): setup.py and the _helpers are not benchmarks."""
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)])
                  if not m.name.startswith("_") and "\ndef main(" in (HERE / f"{m.name}.py").read_text())


def child(name, out):
    figures = importlib.import_module(f"bench.{name}").main()
    Path(out).write_text(json.dumps(figures, default=str))


def run(name):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        done = subprocess.run([sys.executable, "-m", "bench", "--child", name, str(out)], cwd=HERE.parent)
        return json.loads(out.read_text()) if done.returncode == 0 and out.exists() else None


def cell(value, width=50):
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(results):
    """One table: a rule between benchmarks, each benchmark's name on its first row only."""
    header = ("benchmark", "figure", "value")
    groups = [[(name if i == 0 else "", key, cell(value))
               for i, (key, value) in enumerate(kv for kv in figures.items() if kv[0] != "previous_run")]
              for name, figures in results.items()]
    rows = [row for group in groups for row in group]
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(header)]
    rule = "  ".join("-" * w for w in widths)

    def line(row):
        return "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()

    lines = [line(header), rule]
    for group in groups:
        lines += [line(row) for row in group] + [rule]
    return "\n".join(lines)


def main(argv):
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2])
        return 0
    results, failed = {}, []
    started = time.monotonic()
    load_before = os.getloadavg()
    for name in argv or names():
        print(f"--- {name}", flush=True)
        begun = time.monotonic()
        figures = run(name)
        if figures is None:
            failed.append(name)
        # Other work on the machine skews every figure: keep the load beside them.
        results[name] = {**(figures or {"result": "FAILED"}), "wall_seconds": round(time.monotonic() - begun, 1),
                         "load_average_1m_at_end": round(os.getloadavg()[0], 2)}
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, figures in results.items():  # the run before, beside this one, for comparison
        before = previous.get(name, {})
        figures["previous_run"] = {k: v for k, v in before.items() if k != "previous_run"}
    RESULTS.write_text(json.dumps({**previous, **results}, indent=2, default=str) + "\n")
    print()
    print(table(results))
    load_after = os.getloadavg()
    print(f"total {time.monotonic() - started:.0f} s on {os.cpu_count()} cores; load average (1, 5, 15 min) "
          f"{' '.join(f'{x:.2f}' for x in load_before)} before, {' '.join(f'{x:.2f}' for x in load_after)} after")
    print(f"written to {RESULTS.relative_to(HERE.parent)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
