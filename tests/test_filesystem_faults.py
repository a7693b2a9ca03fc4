"""What the file system can throw at a run: FIFOs, other owners, hard links, leftover temp files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from seq2tfdata.cli.main import main
from seq2tfdata.write.gather import gather_files
from tests.cli_samples import GOOD

ROOT = Path(__file__).resolve().parent.parent
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give files away")
needs_kill = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _cli(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process, with a timeout: a regression must fail, not hang."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "seq2tfdata", *arguments]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


@needs_fifo
@pytest.mark.parametrize("command", ["convert", "report"])
def test_a_fifo_in_a_walked_folder_is_reported_and_the_rest_converted(tmp_path: Path, command: str) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.py")
    extra = ["--write"] if command == "convert" else ["--format", "json"]
    done = _cli(command, str(tmp_path), *extra)
    assert done.returncode == 123
    output = done.stderr + done.stdout
    assert f"{tmp_path / 'pipe.py'}: not a regular file; skipped" in output
    if command == "convert":
        assert "def to_tf_dataset" in (tmp_path / "good.py").read_text()
    else:
        assert [c["class"] for c in json.loads(done.stdout)["classes"]] == ["Gen"]


@needs_fifo
def test_a_fifo_named_explicitly_is_not_a_regular_file_rather_than_missing(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    done = _cli("convert", str(tmp_path / "pipe.py"), "--check")
    assert done.returncode == 123
    assert "not a regular file" in done.stderr and "no such file" not in done.stderr


@needs_root
def test_write_as_root_keeps_the_owner_and_group_of_another_users_file(tmp_path: Path) -> None:
    path = tmp_path / "gen.py"
    path.write_text(GOOD)
    os.chown(path, 4321, 8765)
    path.chmod(0o664)
    assert main(["convert", str(path), "--write"]) == 1
    info = path.stat()
    assert "def to_tf_dataset" in path.read_text()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (4321, 8765, 0o664)


def test_write_keeps_the_inode_of_a_hard_linked_file(tmp_path: Path) -> None:
    path, other_name = tmp_path / "gen.py", tmp_path / "linked_gen.py"
    path.write_text(GOOD)
    os.link(path, other_name)
    inode = path.stat().st_ino
    assert main(["convert", str(path), "--write"]) == 1
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert other_name.read_text() == path.read_text() and "def to_tf_dataset" in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen.py", "linked_gen.py"]  # no temp file left


def test_hard_links_in_a_walked_folder_are_converted_once(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(GOOD)
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    gathered = gather_files([tmp_path])
    assert gathered.files == [tmp_path / "a.py"]
    assert any(path == tmp_path / "b.py" and "hard link" in why for path, why in gathered.skipped)
    assert main(["convert", str(tmp_path), "--write", "-j", "2"]) == 1
    assert (tmp_path / "b.py").read_text() == (tmp_path / "a.py").read_text() != GOOD


# Stops a real `convert --write` right after it created its temp file, for the parent to kill.
_STALL_BEFORE_RENAME = """
import os, sys, time
def stall(*args):
    print("temp file written", flush=True)
    time.sleep(120)
os.replace = stall
from seq2tfdata.cli.main import main
main(["convert", sys.argv[1], "--write", "-j", "1"])
"""


def _temp_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith(".") and p.suffix == ".tmp")


@needs_kill
def test_a_temp_file_left_by_a_killed_run_is_removed_by_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "gen.py"
    path.write_text(GOOD)
    writer = subprocess.Popen(
        [sys.executable, "-c", _STALL_BEFORE_RENAME, str(path)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline() == "temp file written\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    (left,) = _temp_files(tmp_path)
    assert left.name.startswith(f".gen.py.seq2tfdata-{writer.pid}-")
    assert path.read_text() == GOOD  # the killed run never touched the file itself
    assert gather_files([tmp_path]).files == [path]  # never taken for a source

    # A live writer's temp file, and a user's file that merely looks alike, stay.
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        in_use = tmp_path / f".gen.py.seq2tfdata-{live.pid}-abcdefgh.tmp"
        in_use.write_text("someone is writing this")
        lookalike = tmp_path / ".gen.py.backup.tmp"
        lookalike.write_text("mine")
        assert main(["convert", str(path), "--write"]) == 1
        assert "def to_tf_dataset" in path.read_text()
        assert _temp_files(tmp_path) == sorted([in_use, lookalike])
    finally:
        live.kill()
        live.wait()


def test_a_temp_file_named_explicitly_is_skipped(tmp_path: Path) -> None:
    leftover = tmp_path / ".gen.py.seq2tfdata-999999-abcdefgh.tmp"
    leftover.write_text(GOOD)
    gathered = gather_files([leftover])
    assert gathered.files == [] and gathered.skipped == [(leftover, "a seq2tfdata temp file")]
