// Node entry hook for Holdfast's own processes (npm start, the worker, scripts, the bench).
// Modules that hold secrets or the database connection `import "server-only"`, so a browser
// bundle that pulls one in fails `next build`. Next resolves that marker itself; plain Node would
// load the package's throwing default, so outside Next it resolves to the package's empty module.
import { register } from "node:module";

register("./allow-server-only-resolve.mjs", import.meta.url);
