"""Reading and writing sources byte for byte: encodings, BOM, line endings, modes, atomicity."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import libcst
import pytest

from seq2tfdata.write.atomic import (
    SourceError,
    read_source,
    write_atomic,
    write_if_changed,
)

ROUND_TRIP_CASES = [
    pytest.param(b"import os\n\nclass A:\n    x = 1\n", "utf-8", id="plain"),
    pytest.param(b"\xef\xbb\xbfx = '\xc3\xa9'\n", "utf-8-sig", id="BOM"),
    pytest.param(
        b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n", "iso-8859-1", id="latin-1 cookie"
    ),
    pytest.param(b"class A:\r\n    '''doc\r\n    more'''\r\n    x = 1\r\n", "utf-8", id="CRLF"),
    pytest.param(b"a = 1\r\nb = 2\nc = 3\r\n", "utf-8", id="mixed endings"),
    pytest.param(b"if x:\n\ty = 1   \n\tz = 2\t\n", "utf-8", id="tabs, trailing space"),
    pytest.param(b"x = 1", "utf-8", id="no final newline"),
]


@pytest.mark.parametrize(("data", "encoding"), ROUND_TRIP_CASES)
def test_read_then_encode_gives_the_same_bytes(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    source = read_source(path)
    assert source.encoding == encoding
    assert "\ufeff" not in source.text
    assert source.encode(source.text) == data


@pytest.mark.parametrize(("data", "encoding"), ROUND_TRIP_CASES)
def test_libcst_keeps_the_text_and_write_restores_the_bytes(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    source = read_source(path)
    code = libcst.parse_module(source.text).code
    assert code == source.text
    write_atomic(path, code + "y = 2\n", source)
    expected_tail = b"y = 2\r\n" if source.newline == "\r\n" else b"y = 2\n"
    assert path.read_bytes() == data + expected_tail


def test_crlf_text_reaches_the_converter_untranslated(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\r\ny = 2\r\n")
    source = read_source(path)
    assert source.text == "x = 1\r\ny = 2\r\n"
    assert source.newline == "\r\n"


def test_bare_newlines_added_to_a_crlf_file_become_crlf(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\r\n")
    source = read_source(path)
    write_atomic(path, "x = 1\r\ndef f():\n    return 1\n", source)
    assert path.read_bytes() == b"x = 1\r\ndef f():\r\n    return 1\r\n"


def test_mixed_file_is_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"a = 1\r\nb = 2\n")
    source = read_source(path)
    assert source.newline is None
    write_atomic(path, "a = 1\r\nb = 2\nc = 3\n", source)
    assert path.read_bytes() == b"a = 1\r\nb = 2\nc = 3\n"


def test_write_keeps_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("x = 1\n")
    path.chmod(0o751)
    source = read_source(path)
    assert write_if_changed(path, "x = 2\n", source) is True
    assert path.read_text() == "x = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(os.listdir(tmp_path)) == ["tool.py"]


def test_unchanged_text_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    source = read_source(path)
    assert write_if_changed(path, source.text, source) is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_atomic(link, "x = 2\n", read_source(link))
    assert link.is_symlink()
    assert real.read_text() == "x = 2\n"


def test_file_changed_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    source = read_source(path)
    path.write_text("x = 100  # edited meanwhile\n")
    with pytest.raises(SourceError, match="changed on disk"):
        write_atomic(path, "x = 2\n", source)
    assert path.read_text() == "x = 100  # edited meanwhile\n"
    assert sorted(os.listdir(tmp_path)) == ["m.py"]


def test_coding_cookie_pushed_down_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"# coding: latin-1\nname = '\xe9'\n")
    source = read_source(path)
    with pytest.raises(SourceError, match="would be read as utf-8"):
        write_atomic(path, "import tensorflow as tf\n\n" + source.text, source)


def test_text_the_encoding_cannot_hold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"# coding: latin-1\nx = 1\n")
    source = read_source(path)
    with pytest.raises(SourceError, match=r"m\.py.*cannot be encoded"):
        write_atomic(path, source.text + "s = '\u20ac'\n", source)
    assert path.read_bytes() == b"# coding: latin-1\nx = 1\n"


@pytest.mark.parametrize(
    "data", [b"x = '\xff\xfe'\n", b"x = 1\ny = 2\nz = '\xff'\n"], ids=["line 1", "line 3"]
)
def test_undecodable_file_names_the_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=r"bad\.py: cannot decode as utf-8"):
        read_source(path)


def test_unknown_coding_cookie_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "odd.py"
    path.write_bytes(b"# coding: no-such-codec\nx = 1\n")
    with pytest.raises(SourceError, match=r"odd\.py"):
        read_source(path)


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"gone\.py: cannot read"):
        read_source(tmp_path / "gone.py")
