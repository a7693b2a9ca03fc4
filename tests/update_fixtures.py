"""``make update-fixtures``: regenerate every ``expected.py`` for review with ``git diff``."""

from __future__ import annotations

import sys

from tests.fixture_cases import convert_fixture, fixture_cases


def main() -> int:
    for case in fixture_cases():
        expected = case / "expected.py"
        new = convert_fixture(case)
        if not expected.exists() or expected.read_text(encoding="utf-8") != new:
            expected.write_text(new, encoding="utf-8")
            print(f"updated {expected}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
