/** What the CalDAV bench measured (also written to bench/results/latest.json), and its printout with the ratios the targets are stated in. */
import { IN_PROCESS_TICK_MS } from "@/lib/jobs/run-scheduled-tick";
import type { PullCycle, Traffic } from "./cycles";

export type CaldavSyncResult = {
  setup: {
    calendars: number;
    eventsPerCalendar: number;
    objects: number;
    distinctObjects: number;
    concurrency: number;
    radicaleVersion: string;
    storageMB: number;
    writeSeconds: number;
    radicaleParseSeconds: number;
    linkSeconds: number;
    horizonDays: number;
    /** 1-minute load average at the start and end, and the CPU count: other work on the host skews every time here. */
    hostLoad: { start: number; end: number; cpus: number };
  };
  initial: PullCycle & { busyBlockRows: number; calendarObjectRows: number; floor: Traffic };
  idle: { holdfast: PullCycle; floor: Traffic; holdfastRoundsMs: number[]; floorRoundsMs: number[] };
  onePercent: PullCycle & {
    objectsEdited: number;
    calendarsEdited: number;
    rowsInserted: number;
    rowsDeleted: number;
    rowsDeletedOfUnchangedObjects: number;
    rowsInsertedForUnchangedObjects: number;
    totalBlocksAfter: number;
    radicaleReparseSeconds: number;
  };
  timeRange: Traffic & { objects: number; blocksWritten: number; calendars: number; failed: number };
  ratios: {
    idleOverheadPct: number;
    bytesTimeRangeOverIdle: number;
    bytesTimeRangeOverOnePercent: number;
    onePercentWrittenPct: number;
    initialSeconds: number;
  };
  latency: {
    artistEvent: {
      tickMs: number;
      meanWithInProcessTickSeconds: number;
      worstWithInProcessTickSeconds: number;
      tickCalendars: number;
      calendarPullInTickMs: number;
      directPullMs: number;
      slotGoneAfterTick: boolean;
      slotGoneAfterDirectPull: boolean;
      meanWithMinuteTickSeconds: number;
      worstWithMinuteTickSeconds: number;
    };
    requestToCalendar: { samplesMs: number[]; p50Ms: number; maxMs: number; allArrived: boolean };
  };
  totalSeconds: number;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => n.toLocaleString("en-US");
function size(bytes: number) {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

export function printCaldavSync(r: CaldavSyncResult) {
  const s = r.setup;
  console.log(
    `\n== CalDAV sync (Radicale ${s.radicaleVersion}, ${count(s.calendars)} calendars × ${count(s.eventsPerCalendar)} events, pull concurrency ${s.concurrency}) ==`,
  );
  console.log(
    `seed (not timed as sync): ${count(s.distinctObjects)} distinct objects written in ${s.writeSeconds.toFixed(1)} s, parsed by Radicale's own code in ${s.radicaleParseSeconds.toFixed(1)} s;` +
      ` ${count(s.objects)} objects (${s.storageMB.toFixed(0)} MB) hard-linked into the calendars (with Radicale's item and history caches) in ${s.linkSeconds.toFixed(1)} s`,
  );
  const row = (label: string, t: Traffic, extra = "") =>
    console.log(`${label.padEnd(34)}${seconds(t.ms).padStart(10)}${count(t.requests).padStart(10)}${size(t.bytes).padStart(12)}   ${extra}`);
  console.log(`${"".padEnd(34)}${"time".padStart(10)}${"requests".padStart(10)}${"bytes".padStart(12)}   (bytes: HTTP bodies, both directions)`);
  const i = r.initial;
  row(
    "1. initial full sync",
    i,
    `${count(i.blocksWritten)} busy blocks from ${count(i.objectsChanged)} objects; per calendar p50 ${seconds(i.perCalendar.p50)}, max ${seconds(i.perCalendar.max)}${i.failed ? `; ${i.failed} FAILED (${i.firstError})` : ""}`,
  );
  row("   server-only floor (bare fetch)", i.floor, `the same requests, bodies read, nothing parsed or written`);
  row(
    "2. idle incremental cycle",
    r.idle.holdfast,
    `mean of ${r.idle.holdfastRoundsMs.length} (${r.idle.holdfastRoundsMs.map((m) => seconds(m)).join(", ")}); ${count(r.idle.holdfast.blocksWritten)} blocks written${r.idle.holdfast.failed ? `; ${r.idle.holdfast.failed} FAILED` : ""}`,
  );
  row(
    "   server-only floor (bare fetch)",
    r.idle.floor,
    `mean of ${r.idle.floorRoundsMs.length} (${r.idle.floorRoundsMs.map((m) => seconds(m)).join(", ")}), run A-B-B-A with the above`,
  );
  const o = r.onePercent;
  row(
    `3. 1 % changed (${count(o.objectsEdited)} objects)`,
    o,
    `${count(o.objectsChanged)} objects re-read; busy_blocks rows +${count(o.rowsInserted)} / −${count(o.rowsDeleted)} of ${count(o.totalBlocksAfter)}; rows of unchanged objects touched: ${o.rowsDeletedOfUnchangedObjects + o.rowsInsertedForUnchangedObjects}${o.failed ? `; ${o.failed} FAILED (${o.firstError})` : ""}`,
  );
  const t = r.timeRange;
  row(
    "4. time-range REPORT + re-apply",
    t,
    `${count(t.objects)} objects parsed, ${count(t.blocksWritten)} busy blocks replaced${t.failed ? `; ${t.failed} FAILED` : ""}`,
  );
  console.log("ratios:");
  console.log(
    `  initial full sync: ${r.ratios.initialSeconds.toFixed(1)} s   (target ≤ 60 s: ${verdict(r.ratios.initialSeconds <= 60)}); the server alone needs ${seconds(i.floor.ms)} of it (Holdfast ${(i.ms / i.floor.ms).toFixed(1)}× the floor)`,
  );
  console.log(
    `  Holdfast idle cycle vs server-only floor: ${r.ratios.idleOverheadPct >= 0 ? "+" : ""}${r.ratios.idleOverheadPct.toFixed(1)} %   (target ≤ 20 %: ${verdict(r.ratios.idleOverheadPct <= 20)})`,
  );
  console.log(
    `  bytes, time-range way / idle sync-collection cycle: ${count(Math.round(r.ratios.bytesTimeRangeOverIdle))}×   (target ≥ 100×: ${verdict(r.ratios.bytesTimeRangeOverIdle >= 100)}); / 1 % cycle: ${r.ratios.bytesTimeRangeOverOnePercent.toFixed(0)}×`,
  );
  console.log(
    `  1 % cycle: busy blocks rewritten / all: ${r.ratios.onePercentWrittenPct.toFixed(2)} %   (only the changed objects' blocks: ${verdict(o.rowsDeletedOfUnchangedObjects + o.rowsInsertedForUnchangedObjects === 0)})`,
  );
  const a = r.latency.artistEvent;
  console.log("latency:");
  console.log(
    `  artist's new event → slot gone: tick pulling all ${a.tickCalendars} calendars + availability check ${seconds(a.tickMs)} (that calendar's own pull ${seconds(a.calendarPullInTickMs)}; slot gone: ${a.slotGoneAfterTick ? "yes" : "NO"});` +
      ` a direct pull of that calendar (webhook / "sync now") ${seconds(a.directPullMs)} (slot gone: ${a.slotGoneAfterDirectPull ? "yes" : "NO"})`,
  );
  console.log(
    `    npm start's ${IN_PROCESS_TICK_MS / 1000} s tick (unaligned to the edit): mean ≈ ${(IN_PROCESS_TICK_MS / 2000).toFixed(0)} s + half a tick = ${a.meanWithInProcessTickSeconds.toFixed(1)} s, worst ≈ ${IN_PROCESS_TICK_MS / 1000} s + a tick = ${a.worstWithInProcessTickSeconds.toFixed(1)} s   (target ≤ 60 s: mean ${verdict(a.meanWithInProcessTickSeconds <= 60)}, worst ${verdict(a.worstWithInProcessTickSeconds <= 60)})\n` +
      `    a scheduler's 60 s cron tick: mean ≈ 30 s + half a tick = ${a.meanWithMinuteTickSeconds.toFixed(1)} s, worst ≈ 60 s + a tick = ${a.worstWithMinuteTickSeconds.toFixed(1)} s   (mean ${verdict(a.meanWithMinuteTickSeconds <= 60)}, worst ${verdict(a.worstWithMinuteTickSeconds <= 60)})`,
  );
  const q = r.latency.requestToCalendar;
  console.log(
    `  submitted request → event in Radicale (resident worker): p50 ${seconds(q.p50Ms)}, max ${seconds(q.maxMs)} over ${q.samplesMs.length}${q.allArrived ? "" : " (SOME NEVER ARRIVED)"}   (target ≤ 5 s: ${verdict(q.allArrived && q.maxMs <= 5000)})`,
  );
  console.log(
    `whole CalDAV bench: ${r.totalSeconds.toFixed(0)} s; host load average ${s.hostLoad.start.toFixed(1)} at the start, ${s.hostLoad.end.toFixed(1)} at the end, on ${s.hostLoad.cpus} CPUs (Radicale, Postgres and Holdfast share them)`,
  );
}
