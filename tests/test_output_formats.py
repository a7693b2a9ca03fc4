"""``--output-format text|json|github|sarif`` and the versioned JSON report (docs/report.schema.json)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seq2tfdata.model import Reason
from seq2tfdata.report import SCHEMA_VERSION
from seq2tfdata.rules import BY_ID, RULES, classify
from tests.test_config import GOOD

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
BROKEN = "import keras\n\nclass Gen(keras.utils.Sequence)\n    pass\n"
SKIPPED = GOOD.replace("class Gen", "# seq2tfdata: skip\nclass Gen")


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": ""}
    return subprocess.run([sys.executable, "-m", "seq2tfdata", *argv], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "skip.py").write_text(SKIPPED)
    (tmp_path / "broken.py").write_text(BROKEN)
    return tmp_path


_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "null": type(None)}


def check(value: object, schema: dict, where: str = "$") -> None:
    """A small structural check of the JSON Schema subset the report schema uses (type,
    required, properties, items, enum, const, $ref to #/$defs)."""
    if "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else types
        assert any(isinstance(value, _TYPES[t]) and not (t == "integer" and isinstance(value, bool)) for t in allowed), where
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], where
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}.{key} missing"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            check(item, schema["items"], f"{where}[{index}]")


def test_json_report_validates_against_the_schema(project: Path) -> None:
    result = run("convert", ".", "--output-format", "json", cwd=project)
    assert result.returncode == 123
    document = json.loads(result.stdout)
    check(document, SCHEMA)
    assert document["schema_version"] == SCHEMA_VERSION
    (error,) = document["errors"]
    assert error["location"] == {"path": "broken.py", "line": 3, "column": 32}
    rules = {reason["rule"] for cls in document["classes"] for reason in cls["reasons"]}
    assert "S2T002" in rules and rules <= set(BY_ID)


def test_report_json_and_report_file_validate(project: Path) -> None:
    run("convert", "good.py", "skip.py", "--report", "r.json", cwd=project)
    check(json.loads((project / "r.json").read_text()), SCHEMA)
    check(json.loads(run("report", ".", "--format", "json", cwd=project).stdout), SCHEMA)


def test_github_annotations(project: Path) -> None:
    out = run("convert", ".", "--output-format", "github", cwd=project).stdout
    assert "::error file=broken.py,line=3,col=32,title=seq2tfdata S2T901::cannot parse" in out
    assert "::warning file=skip.py,line=5,col=7,title=seq2tfdata S2T002::Gen (skipped): not converted: opted out" in out


def test_sarif(project: Path) -> None:
    document = json.loads(run("report", ".", "--output-format", "sarif", cwd=project).stdout)
    assert document["version"] == "2.1.0"
    (run_,) = document["runs"]
    ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    results = run_["results"]
    assert results and all(result["ruleId"] in ids for result in results)
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_rule_ids_are_unique_and_documented() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    docs = (ROOT / "docs" / "json-schema.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"`{rule.id}`" in docs and rule.name in docs


@pytest.mark.parametrize(
    "message, rule",
    [
        pytest.param("not converted: opted out (`# seq2tfdata: skip`)", "S2T002", id="opted out"),
        pytest.param("`cv2.resize(...)` has no exact tf translation; call tf.image.resize", "S2T201", id="translation"),
        pytest.param("on_epoch_end() changes self.indexes, which __getitem__ reads, between epochs", "S2T206", id="epoch hook"),
        pytest.param("__getitem__ changes self.gen (assigned), so batches depend on call order", "S2T205", id="mutates"),
        pytest.param("reads `scale`, which is neither an argument nor an attribute of self", "S2T204", id="free name"),
        pytest.param("`self.y[0]` does not select rows idx*batch_size:(idx+1)*batch_size", "S2T203", id="rows"),
        pytest.param("x: batches stay float64 after conversion (as in Keras 3)", "S2T301", id="float64"),
        pytest.param("something new", "S2T000", id="other"),
    ],
)
def test_classify(message: str, rule: str) -> None:
    assert classify(message) == rule
    assert Reason(1, 1, message).rule == rule
    assert Reason(1, 1, message, rule="S2T007").rule == "S2T007"
