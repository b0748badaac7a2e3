/** The fault suite's result table: printed to stdout and written to .tmp/fault-table.md for the release note. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** See tallyReceipts in fault-suite.test.ts: lost, duplicated (two messages about one thing), resent (one message again, same id). */
export type Tally = { expected: number; lost: number; duplicated: number; resent: number } | "n/a";

export type FaultRow = {
  fault: string;
  /** The first alert (incident kind) raised for the fault, or why none was due. */
  alert: string;
  alertSeconds: number | null;
  /** Seconds until /api/health answered 503 naming the broken part. */
  unhealthySeconds: number | null;
  /** Seconds from the end of the fault until that part was ok again (and the work caught up, where noted). */
  recoverySeconds: number | null;
  emails: Tally;
  events: Tally;
  webhooks: Tally;
  notes: string;
};

const seconds = (s: number | null) => (s === null ? "—" : s.toFixed(1));
const tally = (t: Tally) => (t === "n/a" ? "n/a" : `${t.expected} / ${t.lost} / ${t.duplicated} / ${t.resent}`);

export function renderFaultTable(rows: FaultRow[], preamble: string[]): string {
  const header = [
    "Fault",
    "Alert",
    "Alert s",
    "503 s",
    "Recovery s",
    "Emails exp/lost/dup/resent",
    "Calendar events exp/lost/dup/resent",
    "Webhooks exp/lost/dup/resent",
    "Notes",
  ];
  const cells = rows.map((r) => [
    r.fault,
    r.alert,
    seconds(r.alertSeconds),
    seconds(r.unhealthySeconds),
    seconds(r.recoverySeconds),
    tally(r.emails),
    tally(r.events),
    tally(r.webhooks),
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  return [...preamble, "", line(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.map(line), ""].join("\n");
}

export function writeFaultTable(rows: FaultRow[], preamble: string[]) {
  const text = renderFaultTable(rows, preamble);
  console.log(`\n${text}`);
  const file = path.resolve(import.meta.dirname, "../../../.tmp/fault-table.md");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return text;
}
