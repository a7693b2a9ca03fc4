"""A deterministic mutation fuzzer for ``convert_source``: hostile input must never break it.

Seeds (every fixture's input and expected output, every example) are mutated by small named
strategies (``mutations``), each input is converted in a worker process with a time limit
(``runner``), and the result is held to properties that must hold for any text (``properties``).
A failing input is shrunk to a short reproducer (``shrink``) and, with ``--save``, kept in
``regressions/`` so that ``test_fuzz.py`` replays it on every test run.

    python -m tests.fuzz --count 3000 --seed 0 --jobs 2 [--save]
"""
