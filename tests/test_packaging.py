"""The wheel as a user gets it: built from this tree, installed into a fresh venv without
TensorFlow, and run from a user project that has its own ``converter.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
MISSING_EXTRAS = 'seq2tfdata verify needs TensorFlow: pip install "seq2tfdata[verify]"'
# What the wheel needs from a package index (or pip's cache, or --find-links) to build and install.
NEEDED = ["setuptools>=77", "libcst>=1.1", "jinja2>=3.1", "pathspec>=0.11"]

USER_CONVERTER = "def scale(x):\n    return x * 2\n"
USER_DATA = '''import math

import keras

from converter import scale


class Batches(keras.utils.Sequence):
    def __init__(self, x, batch_size=2, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        return self.x[idx * self.batch_size:(idx + 1) * self.batch_size]


def make():
    return Batches([scale(1), scale(2), scale(3)])
'''


def _run(*command: str | Path, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    # The venv's own interpreter and scripts only: nothing from this checkout on the path.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh venv holding only the wheel and its core dependencies."""
    base = tmp_path_factory.mktemp("packaging")
    venv = base / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", python]
    probe = _run(*pip, "install", "--dry-run", "--quiet", *NEEDED, timeout=180)
    if probe.returncode != 0:
        pytest.skip(f"no package index and no cached wheels for {', '.join(NEEDED)}: {probe.stderr.strip()[-300:]}")
    built = _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", base / "dist", timeout=180)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("seq2tfdata-*.whl")
    done = _run(*pip, "install", "--quiet", wheel, timeout=180)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    (tmp_path / "converter.py").write_text(USER_CONVERTER)
    (tmp_path / "data.py").write_text(USER_DATA)
    return tmp_path


def test_every_package_of_the_source_is_configured() -> None:
    # The configured list is what goes into the wheel: a package missing from it would import
    # from a checkout and fail for every user. Needs no network, unlike the tests below.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(("seq2tfdata", *init.parent.relative_to(ROOT / "converter").parts))
        for init in (ROOT / "converter").rglob("__init__.py")
    }
    missing = sorted(on_disk - set(config["packages"]))
    assert not missing, f"add to [tool.setuptools] packages: {missing}"


def test_the_wheel_installs_one_top_level_package_with_its_templates(installed: Path) -> None:
    (site,) = installed.parent.glob("lib/python*/site-packages")
    top = {path.name for path in site.iterdir() if not path.name.endswith((".dist-info", ".pth", "__pycache__"))}
    assert "seq2tfdata" in top and "converter" not in top and "templates" not in top
    assert list((site / "seq2tfdata" / "templates").glob("*.py.j2"))
    assert (site / "seq2tfdata" / "py.typed").is_file()


def test_convert_runs_from_the_wheel_beside_a_user_converter_module(installed: Path, user_project: Path) -> None:
    done = _run(installed / "python", "-m", "seq2tfdata", "convert", "data.py", "--write", cwd=user_project)
    assert done.returncode == 1, done.stderr  # 1: a file changed
    # The generated block comes from the templates inside the installed wheel.
    assert "    def to_tf_dataset(self):\n" in (user_project / "data.py").read_text()
    assert (user_project / "converter.py").read_text() == USER_CONVERTER
    checked = _run(installed / "seq2tfdata", "convert", "--check", "data.py", cwd=user_project)
    assert checked.returncode == 0, checked.stderr


def test_imports_resolve_to_the_wheel_and_to_the_user_module(installed: Path, user_project: Path) -> None:
    code = "import converter, seq2tfdata; print(seq2tfdata.__file__); print(converter.__file__, converter.scale(2))"
    done = _run(installed / "python", "-c", code, cwd=user_project)
    assert done.returncode == 0, done.stderr
    ours, theirs = done.stdout.splitlines()
    assert Path(ours).is_relative_to(installed.parent) and not Path(ours).is_relative_to(ROOT)
    assert theirs == f"{user_project / 'converter.py'} 4"


def test_verify_without_tensorflow_prints_one_line_and_exits_123(installed: Path, user_project: Path) -> None:
    done = _run(installed / "seq2tfdata", "verify", "data.py:make", cwd=user_project)
    assert (done.returncode, done.stderr.strip(), done.stdout) == (123, MISSING_EXTRAS, "")
    assert _run(installed / "python", "-m", "seq2tfdata", "--help").returncode == 0


@pytest.mark.parametrize("absent", ["numpy", "tensorflow"])
def test_verify_names_the_extra_when_a_module_is_absent(
    absent: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same check in-process, where this venv has TensorFlow: find_spec answers as if not.
    import importlib.util

    from seq2tfdata.cli import verify_cmd
    from seq2tfdata.cli.main import main

    real = importlib.util.find_spec
    monkeypatch.setattr(verify_cmd.importlib.util, "find_spec", lambda name: None if name == absent else real(name))
    assert main(["verify", "no_such_file.py:make"]) == 123
    assert capsys.readouterr().err == MISSING_EXTRAS + "\n"
