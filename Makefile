# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The [verify] extra asks for `tensorflow`; pip does not count an installed tensorflow-cpu as
# `tensorflow` and would download the full wheel on top of it. So the development install names
# the extra's packages itself, with the smaller CPU-only wheel; keep them in step with pyproject.
VERIFY_DEV := 'tensorflow-cpu==2.21.0' 'numpy>=1.24' 'pillow>=10'
# Quiet TensorFlow's start-up chatter in demo and test output.
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: setup demo test lint update-fixtures bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' $(VERIFY_DEV)
	touch $(STAMP)

demo: setup
	$(PY) scripts/demo.py

test: lint
	$(PY) -m pytest -q

# Configuration in pyproject.toml ([tool.ruff], [tool.mypy]); tests/fixtures/ is excluded.
lint: setup
	$(PY) -m ruff check .
	mkdir -p build/typecheck && ln -sfn ../../converter build/typecheck/seq2tfdata
	$(PY) -m mypy

update-fixtures: setup
	$(PY) -m tests.update_fixtures

bench: setup
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) build dist *.egg-info

.PHONY: fuzz
fuzz: setup
	$(PY) -m tests.fuzz --count 10000 --seed 0 --jobs 2 --save
