# asb-report: `make run` starts the service, `make test` installs what it needs and runs every test.
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON311 ?= $(shell command -v python3.11 || echo /root/.pyenv/versions/3.11.7/bin/python)
PYTHON310 ?= /root/.pyenv/versions/3.10.13/bin/python
VENV := .venv
RASA_VENV := .venv-rasa
FLASK := $(VENV)/bin/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 5000

ASSETS := webapp/static/build/app.css webapp/static/build/govuk-frontend.min.js
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
CHROMIUM := /usr/bin/chromium
MODEL := models/asb-bot.tar.gz
# The policy's answer phrases in a multilingual sentence embedding: how a reply worded unlike any phrase is guessed
# (and read back to the resident). Built, never committed, like the model.
MEANINGS := models/answer-meanings.npz
POLICY_FILE := policy/asb-policy.yaml
# The second danger signal: a classifier on the same embedding, fitted to the bot's NLU examples. Built, never committed.
DANGER_SIGNAL := models/danger-signal.json
BOT_INPUTS := bot/config.yml $(wildcard bot/domain/*.yml bot/data/*.yml intents/*/*.yml)
RASA := RASA_TELEMETRY_ENABLED=false $(RASA_VENV)/bin/rasa

.PHONY: help meanings danger-signal install run run-scaled test test-web test-domain-py310 test-bot lint format db-upgrade lock clean assets translations messages browser model eval bench bench-nlu bench-chat bench-sms

help: ## List every target with what it does
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

install: $(VENV)/.installed $(RASA_VENV)/.installed assets translations ## Make both environments (.venv for the web app, .venv-rasa for the bot), styles and catalogs

$(VENV)/.installed: requirements/web.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON311) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/web.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock pyproject.toml
	rm -rf $(RASA_VENV)
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(ASSETS) ## Build the styles (GOV.UK Frontend with the landlord's branding) from npm packages

webapp/static/build/app.css: webapp/static/src/app.scss node_modules/.installed
	mkdir -p $(@D)
	node_modules/.bin/sass --pkg-importer=node --no-source-map --style=compressed --quiet-deps $< $@

webapp/static/build/govuk-frontend.min.js: node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

translations: $(COMPILED) ## Compile the Babel catalogs (.po to .mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d translations -l $* --statistics

messages: $(VENV)/.installed ## Extract every string into translations/messages.pot and update each language's .po
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output -k _l -k lazy_gettext -k t:2 -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

browser: $(CHROMIUM) ## Install Debian's chromium for the browser tests

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

db-upgrade: $(VENV)/.installed ## Create or upgrade the database (SQLite under instance/, or DATABASE_URL)
	$(FLASK) db upgrade

model: $(MODEL) ## Train the bot's model (only when its config, domain, rules or NLU data changed)

$(MODEL): $(BOT_INPUTS) $(RASA_VENV)/.installed
	@start=$$(date +%s); \
	$(RASA) train --domain bot/domain --data bot/data intents --config bot/config.yml --out models --fixed-model-name asb-bot && \
	echo "{\"training_s\": $$(( $$(date +%s) - start )), \"trained_at\": \"$$(date -u +%FT%TZ)\", \"cpus\": $$(nproc)}" > models/training.json
	touch $@

meanings: $(MEANINGS) ## Embed the policy's answer phrases (models/answer-meanings.npz) for replies worded unlike them

$(MEANINGS): $(POLICY_FILE) asb_domain/meanings.py $(VENV)/.installed
	$(VENV)/bin/python -m asb_domain.meanings $(POLICY_FILE) $@

danger-signal: $(DANGER_SIGNAL) ## Fit the second danger signal (models/danger-signal.json) to the NLU examples: 1-3 min, seconds when only a few examples changed

$(DANGER_SIGNAL): $(wildcard intents/*/*.yml) asb_domain/danger_signal.py $(VENV)/.installed
	$(VENV)/bin/python -m asb_domain.danger_signal intents $@

# The web form does not wait for the bot: bin/serve starts the web app and the SMS worker at once, makes the model
# (and the bot's environment) in the background if missing or stale, then starts the Rasa and action servers.
run: $(VENV)/.installed assets translations db-upgrade $(DANGER_SIGNAL) ## Serve http://127.0.0.1:5000 at once (SQLite by default); the chat and texts join when the bot's model is ready (trained in the background if need be)
	@HOST=$(HOST) PORT=$(PORT) MODEL=$(MODEL) bin/serve

run-scaled: $(VENV)/.installed $(RASA_VENV)/.installed assets translations $(MODEL) $(MEANINGS) $(DANGER_SIGNAL) ## The scale-out configuration (bin/serve-scaled): needs DATABASE_URL, RASA_TRACKER_URL, REDIS_URL, SECRET_KEY; see the README
	@bin/serve-scaled

test: install browser lint $(MODEL) $(MEANINGS) $(DANGER_SIGNAL) test-bot test-web test-domain-py310 ## Install what is needed and run every test
	@echo "make test: all passed"

test-web: $(VENV)/.installed assets translations $(MODEL) $(MEANINGS) $(DANGER_SIGNAL) ## Web app, domain and bot tests (the bot's run for real; PostgreSQL too when TEST_DATABASE_URL is set)
	$(VENV)/bin/pytest

test-bot: $(RASA_VENV)/.installed $(MODEL) $(DANGER_SIGNAL) ## rasa data validate, and the test stories against the trained model
	$(RASA) data validate --domain bot/domain --data bot/data intents --config bot/config.yml --fail-on-warnings
	$(RASA) test core --model $(MODEL) --stories bot/tests --out .rasa/test-results --fail-on-prediction-errors

eval: $(VENV)/.installed $(MODEL) $(DANGER_SIGNAL) ## Triage the labelled sets (tests/data) and print accuracy, emergency recall, not-ASB precision per language
	$(FLASK) triage-eval tests/data/triage
	@echo "Held-out set (never used to tune the rules or the model; reported, not a gate):"
	-$(FLASK) triage-eval tests/data/triage_holdout

bench: $(VENV)/.installed $(RASA_VENV)/.installed assets translations $(MODEL) $(MEANINGS) $(DANGER_SIGNAL) ## Measure the service: text turns (open loop) and Rasa alone, the most a second, the web report under gunicorn, memory, model load, SMS segments per language; prints them with their targets and writes bench/results/bench.json
	$(VENV)/bin/python -m bench.run

bench-chat: $(VENV)/.installed $(MODEL) $(DANGER_SIGNAL) ## Reply time per message, through the web chat and through Rasa alone
	$(VENV)/bin/python bench/chat_turns.py

bench-sms: $(VENV)/.installed $(MODEL) $(DANGER_SIGNAL) ## Reply time per text (signed webhook to reply sent), webhook answer time, segments a report costs
	$(VENV)/bin/python bench/sms_turns.py

bench-nlu: $(VENV)/.installed $(MODEL) $(DANGER_SIGNAL) ## One model for all languages against one per language: accuracy, load time, memory
	$(VENV)/bin/python bench/nlu_models.py

test-domain-py310: $(RASA_VENV)/.installed $(MEANINGS) $(DANGER_SIGNAL) ## The domain core's and the conversation's tests again on the bot's Python 3.10
	$(RASA_VENV)/bin/python -m pytest -p no:cacheprovider -q tests/domain tests/bot/test_conversation.py tests/bot/test_bot_files.py

lint: $(VENV)/.installed ## Lint and format check with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: ## Re-pin requirements/*.lock from requirements/*.in (fresh resolve)
	rm -rf /tmp/asb-lock-web /tmp/asb-lock-rasa
	$(PYTHON311) -m venv /tmp/asb-lock-web && /tmp/asb-lock-web/bin/pip install --quiet -r requirements/web.in
	(echo "# Generated by 'make lock' from requirements/web.in on Python 3.11: do not edit."; \
		/tmp/asb-lock-web/bin/pip freeze --exclude-editable) > requirements/web.lock
	$(PYTHON310) -m venv /tmp/asb-lock-rasa && /tmp/asb-lock-rasa/bin/pip install --quiet -r requirements/rasa.in
	(echo "# Generated by 'make lock' from requirements/rasa.in on Python 3.10: do not edit."; \
		/tmp/asb-lock-rasa/bin/pip freeze --exclude-editable) > requirements/rasa.lock

clean: ## Remove both environments and build output (keeps instance/ data)
	rm -rf $(VENV) $(RASA_VENV) .pytest_cache .ruff_cache *.egg-info node_modules webapp/static/build $(COMPILED) models .rasa
