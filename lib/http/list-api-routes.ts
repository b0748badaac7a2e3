import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ROUTE_METHODS, type ApiRoute } from "./api-route-table";

/** `export const GET =`, `export async function POST(`, `export { handler as GET, handler as POST }`. */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|var|(?:async\s+)?function)\s+([A-Z]+)\b/g)) found.add(m[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) found.add(name);
    }
  }
  return ROUTE_METHODS.filter((m) => found.has(m));
}

/** Every route handler file under `<appDir>/api`, as its URL pattern and exported methods, sorted by pattern. */
export function listApiRoutes(appDir: string): ApiRoute[] {
  const routes: ApiRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(entry)) {
        const pattern = `/${path.relative(appDir, dir).split(path.sep).join("/")}`;
        routes.push({ pattern, methods: exportedMethods(readFileSync(full, "utf8")) });
      }
    }
  };
  walk(path.join(appDir, "api"));
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
