#!/usr/bin/env bash
# Installs what the real-AWS-client tests (tests/clients) need beyond Debian
# packages: the JS SDK v3 (@aws-sdk/client-sqs) and playwright-core (the web
# console's browser test drives Debian's chromium with it; no browser is
# downloaded) from npm, exactly as pinned by tests/clients/js/package-lock.json. Idempotent: a no-op (no network) when
# node_modules already matches the lock file.
#
# boto3 and AWS CLI v1 come with the machine's Python (pyenv) and cannot be
# installed here (no PyPI); the tests fail loudly when they are missing.
set -euo pipefail

js_dir="$(cd "$(dirname "$0")/../tests/clients/js" && pwd)"
lock="$js_dir/package-lock.json"
stamp="$js_dir/node_modules/.package-lock.json"

if [ -f "$stamp" ] && [ -d "$js_dir/node_modules/@aws-sdk/client-sqs" ] &&
   [ -d "$js_dir/node_modules/playwright-core" ] &&
   [ "$stamp" -nt "$lock" ]; then
  exit 0
fi

echo "install-client-deps: npm ci in $js_dir"
cd "$js_dir"
npm ci --no-audit --no-fund --loglevel=error
