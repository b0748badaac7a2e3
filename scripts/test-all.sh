#!/usr/bin/env bash
# `npm run test:all`: every test tier in one command, the way CI runs it.
#   typecheck -> lint -> unit (in UTC, Denver and Tokyo) -> integration (real Postgres, SMTP, CalDAV servers) -> build -> e2e (Chromium)
#   (the fault suite, `npm run test:faults`, is not in it yet: it still fails on a known bug, see README)
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC NEXT_TELEMETRY_DISABLED=1
mkdir -p .tmp test-results
rm -f .tmp/results-*.json

bash scripts/install-test-deps.sh

step() {
  local name="$1"; shift
  echo
  echo "━━━ ${name} ━━━"
  local started=$SECONDS
  "$@"
  echo "━━━ ${name}: ok ($((SECONDS - started)) s) ━━━"
}

step "typecheck" npx tsc --noEmit
step "lint (eslint + prettier)" npm run --silent lint
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.tmp/results-unit.json
# The same unit tests with the process in other zones: no result may depend on the machine's clock zone.
step "unit tests (process zone America/Denver)" env HOLDFAST_TEST_TZ=America/Denver npx vitest run --project unit --reporter=dot
step "unit tests (process zone Asia/Tokyo)" env HOLDFAST_TEST_TZ=Asia/Tokyo npx vitest run --project unit --reporter=dot
step "integration tests" npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.tmp/results-integration.json
step "production build" npx tsx -e 'import("./scripts/ensure-build.ts").then((m) => m.ensureBuild())'
step "e2e tests (Chromium)" env HOLDFAST_SKIP_BUILD=1 PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/results-e2e.json npx playwright test --reporter=list,json

node scripts/summarize-test-results.mjs
