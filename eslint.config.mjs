import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      // Images are served as pre-sized variants from Postgres with srcset (lib/media), not through next/image's optimizer.
      "@next/next/no-img-element": "off",
    },
  },
  {
    // One zod, configured before any schema exists (lib/zod.ts says why: the booking page's CSP).
    ignores: ["lib/zod.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "zod", message: 'Import { z } from "@/lib/zod": it sets jitless before any schema is built.' }] }],
    },
  },
  {
    // The layers (CONVENTIONS.md): the domain never reaches up into routes or React.
    files: ["lib/**/*.{ts,tsx}", "db/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app/*", "@/components/*", "**/app/*", "**/components/*"],
              message: "lib/ and db/ must not import app/ or components/: move the shared code into lib/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Components render; they do not query. Types of rows are fine.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/db/*", "@/db", "pg", "drizzle-orm", "drizzle-orm/*"],
              allowTypeImports: true,
              message: "components/ must not touch the database: load data in lib/ (or the page) and pass it in.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
