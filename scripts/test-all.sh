#!/usr/bin/env bash
# `npm run test:all`: every test tier in one command, the way CI runs it.
#   typecheck + lint -> unit (in UTC, Denver and Tokyo) -> integration (real Postgres, SMTP, CalDAV servers)
#   -> build -> fault suite (real app instances, faults injected) -> e2e (Chromium)
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

# Two steps at once (they share nothing): each one's output is printed whole when both are done.
step_pair() {
  local name_a="$1" cmd_a="$2" name_b="$3" cmd_b="$4"
  echo
  echo "━━━ ${name_a} | ${name_b} (side by side) ━━━"
  local started=$SECONDS rc_a=0 rc_b=0
  bash -c "$cmd_a" > .tmp/step-a.log 2>&1 &
  local pid_a=$!
  bash -c "$cmd_b" > .tmp/step-b.log 2>&1 || rc_b=$?
  wait "$pid_a" || rc_a=$?
  echo "── ${name_a} ──"; cat .tmp/step-a.log
  echo "── ${name_b} ──"; cat .tmp/step-b.log
  if [ "$rc_a" -ne 0 ] || [ "$rc_b" -ne 0 ]; then
    echo "━━━ ${name_a}: $([ "$rc_a" -eq 0 ] && echo ok || echo "FAILED ($rc_a)"); ${name_b}: $([ "$rc_b" -eq 0 ] && echo ok || echo "FAILED ($rc_b)") ━━━"
    exit 1
  fi
  echo "━━━ ${name_a} | ${name_b}: ok ($((SECONDS - started)) s) ━━━"
}

step_pair "typecheck" "npx tsc --noEmit" "lint (eslint + prettier)" "npm run --silent lint"
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.tmp/results-unit.json
# The same unit tests with the process in other zones: no result may depend on the machine's clock zone.
step "unit tests (process zone America/Denver)" env HOLDFAST_TEST_TZ=America/Denver npx vitest run --project unit --reporter=dot
step "unit tests (process zone Asia/Tokyo)" env HOLDFAST_TEST_TZ=Asia/Tokyo npx vitest run --project unit --reporter=dot
step "integration tests" npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.tmp/results-integration.json
step "production build" npx tsx -e 'import("./scripts/ensure-build.ts").then((m) => m.ensureBuild())'
# Proof under faults (issue 14): app instances from .next on their own embedded Postgres, with SMTP,
# CalDAV, a worker and Postgres itself broken for real; prints the table (.tmp/fault-table.md).
step "fault suite" npx vitest run --project faults --reporter=default --reporter=json --outputFile.json=.tmp/results-faults.json
step "e2e tests (Chromium)" env HOLDFAST_SKIP_BUILD=1 PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/results-e2e.json npx playwright test --reporter=list,json

node scripts/summarize-test-results.mjs
