import { z } from "zod";

// zod compiles object parsers with `new Function` unless told not to, and probes for it the moment
// a schema is built. The booking page parses its forms in the browser under a CSP without
// 'unsafe-eval', so that probe alone is a reported violation. Every module takes `z` from here, so
// the setting is in force before the first schema anywhere is constructed (eslint enforces it).
z.config({ jitless: true });

export { z };
