"""The repository's tooling agrees with itself: pyproject.toml and environment.yml list the
same packages, CI runs the README's command, run-time output is git-ignored, nbgrader is
configured as DESIGN.md says, and nbgrader's JupyterLab extensions are enabled."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name, where they differ (normalized names).
CONDA_NAMES: dict[str, str] = {"playwright": "playwright-python"}

_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:>=\s*([0-9][0-9A-Za-z.]*))?\s*$")


def normalize(name):
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_spec(spec):
    """``"numpy>=2.0"`` -> ``("numpy", "2.0")``; ``"pip"`` -> ``("pip", None)``.

    Only names with an optional lower bound are allowed in either file, so that the two
    can be compared; anything else (pins, markers, extras) fails loudly.
    """
    match = _SPEC.match(spec)
    if match is None:
        raise ValueError(f"unsupported requirement {spec!r}: use 'name' or 'name>=version'")
    return normalize(match.group(1)), match.group(2)


def pyproject_requirements():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = data["dependencies"] + data["optional-dependencies"]["dev"]
    reqs = dict(parse_spec(s) for s in specs)
    assert len(reqs) == len(specs), "a package is listed twice in pyproject.toml"
    return reqs


def read_environment(path=ROOT / "environment.yml"):
    """A tiny parser for environment.yml (top-level keys, one level of lists, and the
    ``pip:`` sub-list). Returns a dict: name, channels, dependencies, pip."""
    env = {"name": None, "channels": [], "dependencies": [], "pip": []}
    section = None
    for raw in path.read_text().splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            key, _, value = text.partition(":")
            section = key
            if key == "name":
                env["name"] = value.strip()
            elif key not in ("channels", "dependencies"):
                raise ValueError(f"unexpected top-level key in environment.yml: {key!r}")
        elif text == "- pip:":
            section = "pip"
        elif text.startswith("- "):
            if section == "pip" and indent <= 2:
                raise ValueError(f"entry after the pip: list in environment.yml: {text!r}")
            env[section].append(text[2:].strip())
        else:
            raise ValueError(f"cannot parse environment.yml line: {raw!r}")
    return env


def test_read_environment_parses_a_sample(tmp_path):
    sample = tmp_path / "environment.yml"
    sample.write_text(
        "# comment\nname: x\nchannels:\n  - conda-forge\ndependencies:\n"
        "  - python=3.11\n  - numpy>=2.0  # why\n  - pip\n  - pip:\n      - -e .\n"
    )
    env = read_environment(sample)
    assert env == {
        "name": "x",
        "channels": ["conda-forge"],
        "dependencies": ["python=3.11", "numpy>=2.0", "pip"],
        "pip": ["-e ."],
    }
    assert parse_spec("Foo_Bar>=1.2") == ("foo-bar", "1.2")
    with pytest.raises(ValueError, match="unsupported requirement"):
        parse_spec("numpy==2.0")


def test_environment_yml_matches_pyproject():
    env = read_environment()
    assert env["name"] == "intro-dl"
    assert env["channels"] == ["conda-forge"]
    assert env["pip"] == ["-e ."], "environment.yml must pip-install this repo: '- -e .'"

    conda = [d for d in env["dependencies"] if d != "pip" and not d.startswith("python=")]
    assert "python=3.11" in env["dependencies"]
    assert "pip" in env["dependencies"]
    conda_reqs = dict(parse_spec(d) for d in conda)
    assert len(conda_reqs) == len(conda), "a package is listed twice in environment.yml"

    expected = {CONDA_NAMES.get(n, n): bound for n, bound in pyproject_requirements().items()}
    missing = sorted(set(expected) - set(conda_reqs))
    extra = sorted(set(conda_reqs) - set(expected))
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    differ = {n: (expected[n], conda_reqs[n]) for n in expected if expected[n] != conda_reqs[n]}
    assert not differ, f"lower bounds differ (pyproject, environment.yml): {differ}"


def test_python_versions_agree():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert "python=3.11" in read_environment()["dependencies"]


# The only step of .ci/run besides `make test`: Debian's chromium for the browser test,
# installed when missing (as root, or with sudo); the README says so under "System packages".
#: The README's two system packages, installed only when missing.
SYSTEM_PACKAGES_STEP = [
    "missing=()",
    '[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)',
    "command -v bwrap > /dev/null || missing+=(bubblewrap)",
    "if [ ${#missing[@]} -gt 0 ]; then",
    'sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)',
    "$sudo apt-get update -qq",
    '$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"',
    "fi",
]


def test_ci_runs_make_test_and_nothing_else():
    script = ROOT / ".ci" / "run"
    lines = script.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    commands = [ln.strip() for ln in lines[1:] if ln.strip() and not ln.strip().startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "${BASH_SOURCE[0]}")/.."',
                        *SYSTEM_PACKAGES_STEP, "make test"]
    assert os.access(script, os.X_OK), ".ci/run must be executable"
    readme = (ROOT / "README.md").read_text()
    for package in ("chromium", "bubblewrap"):
        assert f"`{package}`" in readme, f"the README must name the system package {package}"


def test_github_actions_run_make_test():
    workflow = (ROOT / ".github" / "workflows" / "test.yml").read_text()
    assert re.search(r"^on:\s*\n\s+push:.*\n\s+pull_request:", workflow, re.M), workflow
    assert re.search(r"^\s+(- )?run: make test\s*$", workflow, re.M), workflow
    assert 'python-version: "3.11"' in workflow


IGNORED = [
    ".venv/bin/python",
    "gradebook.db",
    "submitted/alice/01_perceptron/01_perceptron.ipynb",
    "autograded/alice/01_perceptron/01_perceptron.ipynb",
    "feedback/alice/01_perceptron/01_perceptron.html",
    "exchange/intro-dl/inbound/x.ipynb",
    "01_perceptron/01_perceptron.ipynb",
    ".nbgrader.log",
    "reports/grades.csv",
    "lectures/.ipynb_checkpoints/01_perceptron-checkpoint.ipynb",
    "mlkit/__pycache__/models.cpython-311.pyc",
    "tests/__pycache__/test_models.cpython-311-pytest-9.2.0.pyc",
    ".coverage",
    ".coverage.host.123",
    "htmlcov/index.html",
    ".pytest_cache/v/cache/lastfailed",
    ".hypothesis/examples/x",
    ".ruff_cache/CACHEDIR.TAG",
    "mlkit.egg-info/PKG-INFO",
    "benchmarks/results/matmul.json",
    ".benchmarks/Linux/0001.json",
]
KEPT = [
    "README.md",
    "Makefile",
    "environment.yml",
    "nbgrader_config.py",
    ".ci/run",
    "lectures/01_perceptron.ipynb",
    "solutions/01_perceptron/01_perceptron.ipynb",
    "assignments/01_perceptron/01_perceptron.ipynb",
    "mlkit/models.py",
    "mlkit/data/pass_exam.npz",
    "tests/test_models.py",
    "benchmarks/bench_matmul.py",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_covers_run_time_output_only(tmp_path):
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)

    def ignored(path):
        result = subprocess.run(["git", "check-ignore", "-q", path], cwd=tmp_path)
        assert result.returncode in (0, 1), f"git check-ignore failed on {path}"
        return result.returncode == 0

    assert [p for p in IGNORED if not ignored(p)] == [], "should be git-ignored"
    assert [p for p in KEPT if ignored(p)] == [], "should be committed, not ignored"


def test_nbgrader_config_follows_design(monkeypatch, tmp_path):
    exchange = tmp_path / "hub" / "exchange"
    monkeypatch.setenv("NBGRADER_EXCHANGE", str(exchange))
    monkeypatch.delenv("NBGRADER_DB_URL", raising=False)
    c = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()

    course = c.CourseDirectory
    assert course.course_id == "intro-dl"
    assert Path(course.root) == ROOT
    assert course.source_directory == "solutions"
    assert course.release_directory == "assignments"
    assert course.db_url == f"sqlite:///{ROOT / 'gradebook.db'}"
    assert Path(c.Exchange.root) == exchange
    assert not exchange.exists(), "a named exchange is not created (a typo would be)"
    assert c.Execute.timeout > 0
    assert c.OverwriteCells.add_missing_cells is True
    assert c.ClearSolutions.code_stub["python"] == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_nbgrader_exchange_defaults_to_the_repository(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXCHANGE", raising=False)
    c = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert Path(c.Exchange.root) == ROOT / "exchange"


def _jupyter(*args):
    """Start ``jupyter <args>`` from this interpreter's environment (not yet waited for)."""
    jupyter = Path(sys.executable).with_name("jupyter")
    return subprocess.Popen(
        [str(jupyter), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_nbgrader_jupyterlab_extensions_are_enabled():
    lab = _jupyter("labextension", "list")
    server = _jupyter("server", "extension", "list")
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    lab_out = ansi.sub("", lab.communicate(timeout=120)[0])
    server_out = ansi.sub("", server.communicate(timeout=120)[0])
    assert lab.returncode == 0 and server.returncode == 0, lab_out + server_out

    assert re.search(r"@jupyter/nbgrader v\S+ enabled\s+OK", lab_out), lab_out
    for ext in ("formgrader", "assignment_list", "course_list", "validate_assignment"):
        pattern = rf"nbgrader\.server_extensions\.{ext} enabled"
        assert re.search(pattern, server_out), f"{ext} not enabled:\n{server_out}"


def _plan_setup(folder: Path, python: str | None, stamp: str | None) -> str:
    """What `make -n setup` would run in ``folder`` (a copy of the Makefile and
    pyproject.toml) whose .venv/bin/python is ``python`` and whose stamp holds ``stamp``."""
    shutil.copy(ROOT / "Makefile", folder)
    shutil.copy(ROOT / "pyproject.toml", folder)
    (folder / ".venv" / "bin").mkdir(parents=True)
    if python:
        (folder / ".venv" / "bin" / "python").symlink_to(python)
    if stamp is not None:
        (folder / ".venv" / ".installed").write_text(stamp + "\n")
        os.utime(folder / "pyproject.toml", (1, 1))  # older than the stamp
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env["PYTHON"] = sys.executable  # the interpreter a fresh venv would be made with
    proc = subprocess.run(["make", "-n", "setup"], cwd=folder, env=env, capture_output=True,
                          text=True, check=True)
    return proc.stdout


def test_setup_remakes_a_venv_it_cannot_use(tmp_path):
    """A .venv whose scripts point elsewhere (the folder was moved), whose Python is gone,
    or that is older than 3.11 is made anew (venv --clear); a good one is left alone."""
    ok = tmp_path / "ok"
    ok.mkdir()
    assert "venv" not in _plan_setup(ok, sys.executable, str(ok))
    moved = tmp_path / "moved"
    moved.mkdir()
    assert "-m venv --clear .venv" in _plan_setup(moved, sys.executable, "/somewhere/else")
    gone = tmp_path / "gone"
    gone.mkdir()
    assert "-m venv --clear .venv" in _plan_setup(gone, str(tmp_path / "no-python"), str(gone))
    old = tmp_path / "old"
    old.mkdir()
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\nexit 1\n")  # what sys.version_info < (3, 11) exits with
    fake.chmod(0o755)
    assert "-m venv --clear .venv" in _plan_setup(old, str(fake), str(old))
