# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Quiet TensorFlow's start-up chatter in demo and test output.
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: setup demo test update-fixtures bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[verify,test]'
	touch $(STAMP)

demo: setup
	$(PY) scripts/demo.py

test: setup
	$(PY) -m pytest -q

update-fixtures: setup
	$(PY) -m tests.update_fixtures

bench: setup
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) build dist *.egg-info

.PHONY: fuzz
fuzz: setup
	$(PY) -m tests.fuzz --count 10000 --seed 0 --jobs 2 --save
