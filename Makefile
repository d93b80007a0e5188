# CapMatch: `make demo` to run it, `make test` to test it. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: messages catalogs demo serve test test-fast bench bench-solver bench-e2e bench-quality bench-load synthetic clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CapMatch needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The interface's messages: `make messages` extracts them from the code and the templates into
# messages.pot and merges them into each language's messages.po (then translate the new ones);
# every other target compiles the catalogs (messages.mo, not committed) when a messages.po changed.
LOCALE := capmatch/locale
LANGS := en fr
CATALOGS := $(foreach lang,$(LANGS),$(LOCALE)/$(lang)/LC_MESSAGES/messages.mo)

messages: $(STAMP)
	$(BIN)/pybabel -q extract --ignore-dirs='.* node_modules' -F $(LOCALE)/babel.cfg -k lazy_gettext -k N_ --no-location --sort-output \
		--add-comments=Translators: --project=CapMatch --copyright-holder=CapMatch -o $(LOCALE)/messages.pot .
	for lang in $(LANGS); do \
		test -f $(LOCALE)/$$lang/LC_MESSAGES/messages.po || $(BIN)/pybabel -q init -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang; \
		$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang --ignore-obsolete --no-fuzzy-matching; \
	done
	@# No creation date: the files change only when their messages do (and merge cleanly).
	sed -i '/^"POT-Creation-Date: /d' $(LOCALE)/messages.pot $(LOCALE)/*/LC_MESSAGES/messages.po

$(LOCALE)/%/LC_MESSAGES/messages.mo: $(LOCALE)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel -q compile -d $(LOCALE) -l $* -i $< -o $@

catalogs: $(CATALOGS)

demo: $(STAMP) $(CATALOGS)
	$(BIN)/capmatch demo

serve: $(STAMP) $(CATALOGS)
	$(BIN)/capmatch serve

test: $(STAMP) $(CATALOGS)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run_all.py

# The web tier under 16 concurrent clients, against a real server over 20,000 needs and 200,000 offers.
bench-load: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py $(BENCH_ARGS)

synthetic: $(STAMP)
	$(BIN)/capmatch migrate
	$(BIN)/capmatch seed synthetic --needs 20000 --offers 200000 --seed 1

clean:
	rm -rf $(VENV) .capmatch test-artifacts
