// Adds up the vitest and Playwright JSON reports into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const tier of ["unit", "integration", "faults"]) {
  const file = `.tmp/results-${tier}.json`;
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(`${tier}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
const e2eFile = ".tmp/results-e2e.json";
if (existsSync(e2eFile)) {
  const s = JSON.parse(readFileSync(e2eFile, "utf8")).stats;
  passed += s.expected;
  failed += s.unexpected + s.flaky;
  skipped += s.skipped;
  console.log(`e2e: ${s.expected} passed, ${s.unexpected + s.flaky} failed`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
