"""Converting is static: it never imports TensorFlow, Keras or numpy, and never runs user code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_conversion_imports_no_ml_library_and_runs_no_user_code(tmp_path: Path) -> None:
    marker = tmp_path / "user_code_ran"
    user_module = tmp_path / "user.py"
    user_module.write_text(
        textwrap.dedent(
            f"""
            import keras
            open({str(marker)!r}, "w").close()

            class Gen(keras.utils.Sequence):
                def __len__(self):
                    return open({str(marker)!r}, "w").close() or 1

                def __getitem__(self, index):
                    return open({str(marker)!r}, "w").close()
            """
        )
    )
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from seq2tfdata import convert_source
        sources = [Path({str(user_module)!r})] + sorted(Path({str(ROOT / 'tests' / 'fixtures')!r}).glob("*/input.py"))
        changed = sum(convert_source(p.read_text()).changed for p in sources)
        assert changed >= 1, changed
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {{"tensorflow", "keras", "numpy", "tf_keras", "PIL"}})
        assert not loaded, loaded
        print("ok", changed)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
    assert not marker.exists()
