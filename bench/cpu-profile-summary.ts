/**
 * Profiling helper: sums a .cpuprofile's self time by function and by package/folder, the
 * figures the README's benchmark notes quote. `npx tsx bench/cpu-profile-summary.ts <file> [top]`
 */
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
// Optional third argument: only the last N seconds of the profile (the load, without start-up).
const [file, topArg, lastSecondsArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, "utf8")) as { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
const top = Number(topArg ?? 25);
const selfById = new Map<number, number>();
const sampleTimes: number[] = [];
profile.timeDeltas.reduce((t, d, i) => (sampleTimes[i] = t + d), profile.startTime);
const since = lastSecondsArg ? profile.endTime - Number(lastSecondsArg) * 1e6 : -Infinity;
profile.samples.forEach((id, i) => {
  if ((sampleTimes[i] ?? 0) < since) return;
  selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const byFn = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
const area = (url: string) => {
  if (!url) return "(native/gc/idle)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return `pkg ${m[1]}`;
  const app = /\/\.next\/server\/(chunks\/ssr|chunks|app)\//.exec(url);
  if (app) return `.next ${app[1]}`;
  if (url.startsWith("node:")) return url;
  return url.replace(/^.*\/work\/main\//, "");
};
for (const node of profile.nodes) {
  const ms = selfById.get(node.id) ?? 0;
  if (!ms) continue;
  total += ms;
  const key = `${node.callFrame.functionName || "(anonymous)"} ${area(node.callFrame.url)}:${node.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + ms);
  const a = node.callFrame.functionName === "(idle)" ? "(idle)" : area(node.callFrame.url);
  byArea.set(a, (byArea.get(a) ?? 0) + ms);
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${v.toFixed(0).padStart(8)} ms ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`total sampled ${total.toFixed(0)} ms`);
print("by area", byArea);
print("by function (self)", byFn);
