"""`python -m bench [name ...]`: run every (or the named) bench/<name>.py main() in a child process,
print one table of figures and write bench/results.json."""
import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def names():
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))


def child(name, out):
    figures = importlib.import_module(f"bench.{name}").main()
    Path(out).write_text(json.dumps(figures, default=str))


def run(name):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        done = subprocess.run([sys.executable, "-m", "bench", "--child", name, str(out)], cwd=HERE.parent)
        return json.loads(out.read_text()) if done.returncode == 0 and out.exists() else None


def table(results):
    rows = [(name, key, value) for name, figures in results.items() for key, value in (figures or {}).items()]
    widths = [max([len(str(r[i])) for r in rows] + [len(h)]) for i, h in enumerate(("benchmark", "figure", "value"))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(("benchmark", "figure", "value"), widths))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def main(argv):
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2])
        return 0
    results, failed = {}, []
    for name in argv or names():
        print(f"--- {name}", flush=True)
        figures = run(name)
        if figures is None:
            failed.append(name)
        results[name] = figures or {"result": "FAILED"}
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**previous, **results}, indent=2, default=str) + "\n")
    print(table(results))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
