/**
 * Starts and kills real Holdfast app instances (tests/faults/support/instance-main.ts under tsx, in
 * their own process group) on distinct ports against one database, from the built `.next`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
/** Each instance's whole output, for reading after a run: .tmp/fault-logs/<name>.log. */
export const instanceLogDir = path.join(repoRoot, ".tmp", "fault-logs");

export type AppInstance = {
  name: string;
  port: number;
  url: string;
  /** The Node process that runs the app (tsx's child), as it names itself. */
  appPid: number;
  output: () => string;
  /** kill -9 of the whole process group: no shutdown hook runs, locks and heartbeats stay behind. */
  killHard: () => Promise<void>;
  /** SIGTERM: the clean stop of `npm start` (the worker finishes, heartbeats are removed). */
  stop: () => Promise<void>;
  alive: () => boolean;
};

export type InstanceOptions = { name: string; port: number; env: Record<string, string> };

/** Variables of the test runner that must not leak into a production app process. */
const RUNNER_ONLY = ["VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "VITEST_MODE", "NODE_ENV", "TEST", "HOLDFAST_TEST_TZ"];

/** `next build` replaces `.next` as it goes: wait for a finished one (someone else's build may be running). */
async function waitForBuild(timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
    if (Date.now() > deadline) throw new Error("no production build in .next (run the production build step first)");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function startAppInstance(opts: InstanceOptions): Promise<AppInstance> {
  await waitForBuild();
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, PORT: String(opts.port), HOST: "127.0.0.1", TZ: "UTC" };
  for (const key of RUNNER_ONLY) delete env[key];
  const child: ChildProcess = spawn(
    path.join(repoRoot, "node_modules/.bin/tsx"),
    ["--import", "./scripts/allow-server-only.mjs", "tests/faults/support/instance-main.ts"],
    {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  mkdirSync(instanceLogDir, { recursive: true });
  const logFile = path.join(instanceLogDir, `${opts.name.replace(/[^A-Za-z0-9]/g, "_")}.log`);
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    appendFileSync(logFile, d);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const appPid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${opts.name} did not come up within 90 s:\n${output}`)), 90_000);
    const check = () => {
      const match = /fault-suite instance ready at \S+ \(pid (\d+)\)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance ${opts.name} exited (${code ?? signal}) while starting:\n${output}`));
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    name: opts.name,
    port: opts.port,
    url: `http://127.0.0.1:${opts.port}`,
    appPid,
    output: () => output,
    alive: () => !exited,
    killHard: async () => {
      signalGroup("SIGKILL");
      await exit;
    },
    stop: async () => {
      if (exited) return;
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
