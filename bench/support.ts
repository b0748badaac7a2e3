import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@/db/embedded";

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN };
}

/** Runs `total` tasks with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runConcurrently<T>(total: number, concurrency: number, task: (i: number) => Promise<T>) {
  const latencies: number[] = [];
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        results[i] = await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, results, elapsedMs: performance.now() - started };
}

export type BenchServer = { url: string; stop: () => Promise<void>; child: ChildProcess };

/** Starts the production server (`scripts/start.ts`) as its own process against `databaseUrl`. */
export async function startBenchServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "--import", "./scripts/allow-server-only.mjs", "scripts/start.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: "bench-secret-bench-secret-bench-secret-000",
      CRON_SECRET: "bench-cron-secret-0000",
      HOLDFAST_SKIP_BUILD: "1",
      HOLDFAST_SEED_DEMO: "off",
      DATABASE_POOL_SIZE: "20",
      RATE_LIMIT_HOLDS_PER_HOUR: "100000000",
      RATE_LIMIT_REQUESTS_PER_HOUR_PER_IP: "100000000",
      RATE_LIMIT_REQUESTS_PER_HOUR_PER_EMAIL: "100000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bench server exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    child,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
