# The two set-up commands of the README:
#   make demo   builds the bundled example articles into out/ (installs what it needs)
#   make test   runs the whole test suite, lint and type checks (installs what it needs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLES := fixtures/text/people-daily-guizhou-2021-03-20.txt \
            fixtures/text/people-daily-zh.txt \
            fixtures/text/xinhua-en.txt

.PHONY: demo test system-deps lint clean

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
	$(BIN)/ruff check convert tests benchmarks
	$(BIN)/ruff format --check convert tests benchmarks
	$(BIN)/mypy convert

test: system-deps $(BIN)/briefkit lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf out $(VENV) .pytest_cache .mypy_cache .ruff_cache
