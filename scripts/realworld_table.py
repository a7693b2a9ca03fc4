"""Print the README's real-world table: each ``tests/fixtures/real_*`` pattern, the tier its
classes reach, whether ``verify`` finds it equivalent, and what keeps the slower ones there.

    .venv/bin/python scripts/realworld_table.py > /tmp/table.md
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seq2tfdata import Options, Tier, convert_source  # noqa: E402
from tests.fixture_cases import REAL_WORLD_PREFIX, factories, fixture_cases  # noqa: E402


def _origin(case: Path) -> str:
    first = (case / "input.py").read_text(encoding="utf-8").splitlines()[0]
    # """Reproduces the pattern of OWNER/REPO: path (domain).
    return first.removeprefix('"""Reproduces the pattern of ').rsplit(" (", 1)[0]


def _verify(case: Path, code: str, workdir: Path) -> tuple[bool, str | None]:
    from seq2tfdata.verify import load_factory, verify_equivalence

    module = workdir / f"{case.name}.py"
    module.write_text(code, encoding="utf-8")
    ok, fallback = True, None
    for name in factories(case):
        # What the fixture's own code prints must not land in the table.
        with contextlib.redirect_stdout(sys.stderr):
            report = verify_equivalence(load_factory(f"{module}:{name}"), epochs=2, workdir=workdir / name)
        ok &= report.ok
        fallback = fallback or report.fallback
    return ok, fallback


def _why(finding) -> str:
    if finding.tier is Tier.NATIVE:
        return ""
    reasons = [r.message for r in finding.reasons if not r.message.startswith("hybrid: ")]
    text = reasons[0] if reasons else (finding.reasons[0].message if finding.reasons else "")
    return " ".join(text.split()).replace("|", "\\|")


def main() -> int:
    rows, tiers = [], Counter()
    with tempfile.TemporaryDirectory() as scratch:
        for case in fixture_cases():
            if not case.name.startswith(REAL_WORLD_PREFIX):
                continue
            result = convert_source((case / "input.py").read_text(encoding="utf-8"), Options(path=case.name))
            converted = [f for f in result.findings if f.tier is not Tier.SKIPPED]
            # The class the factory builds is the most derived one, defined last.
            main_class = converted[-1] if converted else None
            ok, fallback = _verify(case, result.code, Path(scratch)) if main_class else (False, None)
            tier = main_class.tier.value if main_class else "skipped"
            served = "generator (fell back at run time)" if fallback else tier
            tiers[(tier, ok, bool(fallback))] += 1
            why = "the data breaks an assumption: " + fallback.split("): ", 1)[-1][:90] if fallback else _why(main_class)
            rows.append(f"| `{case.name.removeprefix(REAL_WORLD_PREFIX)}` | {_origin(case)} | {served} | {'yes' if ok else 'NO'} | {why} |")
    print("| fixture | reproduces | tier served | equivalent | what keeps it from native |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    total = sum(tiers.values())
    print()
    for (tier, ok, fell_back), count in sorted(tiers.items()):
        note = ", served by the generator fallback" if fell_back else ""
        print(f"- {tier}{note}, {'equivalent' if ok else 'NOT equivalent'}: {count} of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
