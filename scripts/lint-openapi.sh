#!/bin/sh
# `make lint`, for docs/openapi.json: the copy the service embeds must be the file (else run
# `make openapi`), and the document's structure must pass openapi-spec-validator (PyPI),
# installed once into .build/openapi-venv. Where it cannot be installed (no python3-venv, no
# network) that check is skipped with a note rather than failing a fresh machine.
cd "$(dirname "$0")/.." || exit 2
scripts/embed-openapi.sh --check || exit 1
venv=.build/openapi-venv
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check --timeout 20 --retries 1 openapi-spec-validator; } >/dev/null 2>&1; then
        rm -rf "$venv"
        echo "lint-openapi: openapi-spec-validator could not be installed (python3-venv or the network missing): docs/openapi.json's structure is not checked"
        exit 0
    fi
fi
"$venv/bin/openapi-spec-validator" docs/openapi.json
