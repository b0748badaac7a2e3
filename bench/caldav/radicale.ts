/**
 * Radicale's side of the CalDAV bench: the Python it runs on, its version, and its own code run
 * over the storage folder to fill its caches. The measured server itself is started with the
 * integration tests' startRadicale (tests/support/caldav-servers.ts) on the folder the bench wrote.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { startRadicale, type CalDavUser } from "@/tests/support/caldav-servers";

/** The Python that runs Radicale (from the `radicale` script's shebang), so its modules import. */
export function radicalePython(): string {
  const which = spawnSync("sh", ["-c", "command -v radicale"], { encoding: "utf8" });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) throw new Error("radicale is not installed (apt-get install -y radicale)");
  const shebang = readFileSync(bin, "utf8").split("\n")[0] ?? "";
  const interpreter = shebang.startsWith("#!") ? shebang.slice(2).trim().split(/\s+/) : [];
  if (interpreter[0]?.endsWith("/env") && interpreter[1]) return interpreter[1];
  return interpreter[0] ?? "/usr/bin/python3";
}

export function radicaleVersion(): string {
  const out = spawnSync("radicale", ["--version"], { encoding: "utf8" });
  return (out.stdout || out.stderr).trim() || "unknown";
}

/**
 * Radicale's own sync() on each collection, with fsync off: parses every object it has not
 * cached yet (its item cache), records each object's history etag and the collection's sync
 * state — exactly what the server would have done when the objects were PUT.
 */
const WARM_PY = `
import sys
from radicale import config, storage
conf = config.load([])
conf.update({"storage": {"filesystem_folder": sys.argv[1], "_filesystem_fsync": "False"}}, "holdfast bench", privileged=True)
st = storage.load(conf)
for path in sys.argv[2:]:
    with st.acquire_lock("r"):
        for coll in st.discover(path):
            coll.sync()
`;

export async function warmCollections(python: string, folder: string, paths: string[]) {
  if (paths.length === 0) return 0;
  const started = performance.now();
  const processes = Math.max(1, Math.min(os.availableParallelism(), 4, paths.length));
  await Promise.all(
    Array.from({ length: processes }, (_, p) => {
      const mine = paths.filter((_, i) => i % processes === p);
      return new Promise<void>((resolve, reject) => {
        const child = spawn(python, ["-c", WARM_PY, folder, ...mine], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
        child.once("error", reject);
        child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`Radicale cache warm-up exited with ${code}:\n${err}`))));
      });
    }),
  );
  return (performance.now() - started) / 1000;
}

/** The measured server: Radicale with its defaults, serving the folder the bench wrote, with a login per calendar. */
export function startMeasuredRadicale(storageFolder: string, users: CalDavUser[]) {
  return startRadicale({ storageFolder, users });
}
