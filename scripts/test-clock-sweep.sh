#!/usr/bin/env bash
# Runs the unit and integration suites with the clock moved (libfaketime: Debian's `faketime`
# package), so a test that depends on the hour, the weekday, "today", a month end or a DST change
# fails here instead of in someone's evening CI run. The clock is moved by one fixed offset so that
# it reads the instant when the run starts and keeps ticking; every child inherits it, the
# embedded Postgres and the CalDAV servers included, so `now()` in SQL and `new Date()` in Node agree.
# Not part of test:all (it runs the suites once per instant).
#
#   bash scripts/test-clock-sweep.sh                     # every instant below
#   bash scripts/test-clock-sweep.sh "2027-03-28 00:30:00" -- tests/integration/booking-integrity.test.ts
set -uo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "install libfaketime first: apt-get install faketime" >&2; exit 2; }

INSTANTS=(
  "2027-01-13 08:00:00"  # Wednesday morning everywhere in Europe
  "2027-01-13 20:29:00"  # the evening run that used to fail (after 16:00 Berlin)
  "2027-01-15 22:59:00"  # Friday 23:59 in Europe/Berlin
  "2027-01-16 06:59:00"  # Friday 23:59 in America/Denver (Saturday in UTC)
  "2027-01-17 14:59:00"  # Sunday 23:59 in Asia/Tokyo
  "2027-01-31 23:30:00"  # month end in UTC (February 1st in Berlin and Tokyo)
  "2027-03-14 08:30:00"  # 01:30 in Denver, half an hour before its spring gap
  "2027-03-28 00:30:00"  # Berlin's spring-forward day, half an hour before the gap
  "2027-10-31 00:30:00"  # Berlin's fall-back day, before the repeated hour
  "2027-12-31 23:30:00"  # year end in UTC
)
FILES=()
if [[ $# -gt 0 ]]; then
  INSTANTS=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do INSTANTS+=("$1"); shift; done
  [[ "${1:-}" == "--" ]] && shift
  FILES=("$@")
fi

LOG_DIR="${CLOCK_SWEEP_LOGS:-/tmp/holdfast-clock-sweep}"
mkdir -p "$LOG_DIR"
status=0
for instant in "${INSTANTS[@]}"; do
  tag="${instant//[: ]/-}"
  for project in unit integration; do
    log="$LOG_DIR/$tag-$project.log"
    # One fixed offset for every process (not faketime's "start at", which starts each child's
    # clock afresh at the instant, so the embedded Postgres would run seconds behind Node).
    offset=$(( $(date -u -d "$instant" +%s) - $(date -u +%s) ))
    TZ=UTC faketime -f "$( [[ $offset -ge 0 ]] && echo "+" )${offset}s" npx vitest run --project "$project" "${FILES[@]}" >"$log" 2>&1
    rc=$?
    summary=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^ +Tests +[0-9]" | tr -s ' ' | tail -1)
    echo "$instant UTC  $project  rc=$rc  ${summary:-no summary, see $log}"
    [[ $rc -ne 0 ]] && status=1
  done
done
exit $status
