import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * The JavaScript a page loads on first visit, from the production build: Next's root chunks
 * (build-manifest rootMainFiles; the nomodule polyfill is left out, modern browsers skip it) plus
 * the entry chunks of the page and its layouts (the route's client reference manifest), each
 * counted once, with its gzip size (level 9, what a compressing proxy sends at most).
 */
export function pageJavaScriptWeight(route: string, nextDir = ".next") {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const manifestFile = path.join(nextDir, "server", "app", ...route.split("/").filter(Boolean), "page_client-reference-manifest.js");
  const holder = globalThis as { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> };
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[route]; run it in this process (our own build output).
  new Function(readFileSync(manifestFile, "utf8"))();
  const entry = holder.__RSC_MANIFEST?.[`${route}/page`];
  if (!entry) throw new Error(`no client reference manifest for ${route}`);
  const files = new Set<string>(build.rootMainFiles);
  for (const chunks of Object.values(entry.entryJSFiles)) for (const chunk of chunks) files.add(chunk);
  const framework = new Set(build.rootMainFiles);
  let raw = 0;
  let gzip = 0;
  let frameworkGzip = 0;
  for (const file of files) {
    const bytes = readFileSync(path.join(nextDir, file));
    const packed = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += packed;
    if (framework.has(file)) frameworkGzip += packed;
  }
  // Next and React's own runtime (the root chunks every page loads) apart from the page's own code.
  return { route, files: files.size, rawKb: raw / 1024, gzipKb: gzip / 1024, frameworkGzipKb: frameworkGzip / 1024, pageGzipKb: (gzip - frameworkGzip) / 1024 };
}
