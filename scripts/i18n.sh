#!/usr/bin/env bash
# Refresh the Chinese catalogue from the sources and compile it. Translate new entries in
# src/shuren/locale/zh_Hans/LC_MESSAGES/django.po (the test suite fails while any are empty).
set -euo pipefail
cd "$(dirname "$0")/../src/shuren"
export PYTHONPATH="$(cd ..; pwd):$(cd ../..; pwd)" DJANGO_SETTINGS_MODULE=shuren.settings.test
../../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete --ignore='*/tests/*' --ignore='static/*'
../../.venv/bin/django-admin compilemessages -l zh_Hans
