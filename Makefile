# The two set-up commands of the README:
#   make demo   builds the bundled example articles into out/ (installs what it needs)
#   make test   runs the whole test suite, lint, type and layer checks and the docs build
#               (installs what it needs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLES := fixtures/text/people-daily-guizhou-2021-03-20.txt \
            fixtures/text/people-daily-zh.txt \
            fixtures/text/xinhua-en.txt

.PHONY: demo test system-deps lint docs clean test-newest test-oldest mutation coverage

# The tests that exercise the engines (reportlab, python-docx, ebooklib) directly.
ENGINE_TESTS := tests/test_pdf.py tests/test_tagged_pdf.py tests/test_scripts.py \
                tests/test_docx.py tests/test_epub.py tests/test_golden.py \
                tests/test_library_safety.py tests/test_walls.py

system-deps:
	bash scripts/install-system-deps.sh

$(BIN)/briefkit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: system-deps $(BIN)/briefkit
	mkdir -p out
	$(BIN)/briefkit convert $(EXAMPLES) -o out/briefing.json -M title="Example briefing"
	$(BIN)/briefkit convert $(EXAMPLES) -o out/briefing.docx -M title="Example briefing"
	$(BIN)/briefkit convert fixtures/text/people-daily-guizhou-2021-03-20.txt -o out/seed.docx
	$(BIN)/briefkit convert $(EXAMPLES) -o out/week.epub -M title="Example week"
	$(BIN)/briefkit convert $(EXAMPLES) -o out/digest.pdf -M title="Example digest"
	$(BIN)/briefkit convert fixtures/text/people-daily-guizhou-2021-03-20.txt -o out/seed.pdf
	$(BIN)/briefkit build fixtures/briefing/briefing.toml -o out/
	@echo "Built into out/: $$(ls out | tr '\n' ' ')"

lint: $(BIN)/briefkit
	$(BIN)/ruff check convert tests benchmarks docs/hooks.py
	$(BIN)/ruff format --check convert tests benchmarks docs/hooks.py
	$(BIN)/mypy convert
	$(BIN)/lint-imports

# The guide: a MkDocs site in site/, its reference pages generated from the code.
docs: $(BIN)/briefkit
	$(BIN)/mkdocs build --strict -q

test: system-deps $(BIN)/briefkit lint docs
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The engine tests on the newest release of each engine (whatever pyproject's ranges say),
# in a venv of their own: a break shows here before users see it.
test-newest: system-deps
	$(PYTHON) -m venv .venv-newest
	.venv-newest/bin/python -m pip install -q --upgrade pip
	.venv-newest/bin/python -m pip install -q -e '.[test]'
	.venv-newest/bin/python -m pip install -q --upgrade reportlab python-docx ebooklib
	.venv-newest/bin/python -m pip list 2>/dev/null | grep -iE '^(reportlab|python-docx|ebooklib) '
	.venv-newest/bin/python -m pytest -q -p no:cacheprovider $(ENGINE_TESTS)

# The same tests on the oldest release each range in pyproject.toml admits.
test-oldest: system-deps
	$(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install -q --upgrade pip
	.venv-oldest/bin/python -m pip install -q -e '.[test]' reportlab==4.4.0 python-docx==1.1.0 ebooklib==0.18
	.venv-oldest/bin/python -m pytest -q -p no:cacheprovider $(ENGINE_TESTS)

# Mutation testing of the core modules ([tool.mutmut] in pyproject.toml): long (about an hour
# on two cores), so not part of `make test`; the score is in benchmarks/RESULTS.md.
mutation: $(BIN)/briefkit
	$(BIN)/python -m pip install -q -e '.[test,mutation]'
	rm -rf mutants
	HYPOTHESIS_PROFILE=mutation PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

# Branch coverage of the whole suite (CLI runs in child processes included): htmlcov/.
coverage: system-deps $(BIN)/briefkit
	$(BIN)/python -m pip install -q -e '.[test,coverage]'
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest -q -p no:cacheprovider \
		-k "not (fails_closed or time_proportional)"  # time budgets do not hold under tracing
	$(BIN)/coverage combine -q
	$(BIN)/coverage report --skip-covered --sort=cover | tail -40
	$(BIN)/coverage html -q

clean:
	rm -rf out site $(VENV) .venv-newest .venv-oldest .pytest_cache .mypy_cache .ruff_cache mutants htmlcov .coverage
