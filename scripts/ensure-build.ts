import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const INPUTS = ["app", "components", "lib", "db/schema", "public", "next.config.ts", "proxy.ts", "package-lock.json", "tsconfig.json"];

function walk(target: string, out: string[]) {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isFile()) {
    out.push(`${target}:${stat.size}:${stat.mtimeMs}`);
    return;
  }
  for (const entry of readdirSync(target).sort()) walk(path.join(target, entry), out);
}

/** A cheap fingerprint of everything the production build depends on. */
function sourceFingerprint() {
  const parts: string[] = [];
  for (const input of INPUTS) walk(input, parts);
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

/** Builds the Next.js app when there is no build yet or the sources changed since the last one. */
export function ensureBuild(opts: { force?: boolean } = {}) {
  const marker = path.join(".next", "holdfast-build-fingerprint");
  const fingerprint = sourceFingerprint();
  const current = existsSync(path.join(".next", "BUILD_ID")) && existsSync(marker) ? readFileSync(marker, "utf8") : "";
  if (!opts.force && current === fingerprint) return false;
  console.log("Building Holdfast (first start or sources changed; takes a minute or two) …");
  const result = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed; see the output above");
  writeFileSync(marker, fingerprint);
  return true;
}
