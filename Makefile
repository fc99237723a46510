# Cocagne: `make demo` opens the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ADDONS := $(patsubst %/pyproject.toml,%,$(wildcard addons/*/pyproject.toml))
STAMP := $(VENV)/.stamp
PG_URI ?= postgresql://postgres@127.0.0.1:5432/

.PHONY: setup demo serve test test-sqlite test-pg bench clean

setup: $(STAMP)
	@$(BIN)/python -m cocagne.sao
	@$(BIN)/python -m cocagne.leaflet

# Local modules are installed in the same pip command as the pins, so pip
# takes their names from disk, never from PyPI.
$(STAMP): requirements.txt pyproject.toml $(addsuffix /pyproject.toml,$(ADDONS))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt \
		-e . $(addprefix -e ,$(ADDONS))
	touch $@

demo: setup
	$(BIN)/cocagne demo $(if $(RESET),--reset) $(if $(filter command line,$(origin PORT)),--port $(PORT))

serve: setup
	$(BIN)/cocagne serve $(if $(filter command line,$(origin PORT)),--port $(PORT))

test: setup
	$(BIN)/cocagne test $(ARGS)

test-sqlite: setup
	TRYTOND_DATABASE__URI=sqlite:// $(BIN)/cocagne test $(ARGS)

test-pg: setup
	TRYTOND_DATABASE__URI=$(PG_URI) $(BIN)/cocagne test $(ARGS)

bench: setup
	$(BIN)/cocagne bench

clean:
	rm -rf var .cache
