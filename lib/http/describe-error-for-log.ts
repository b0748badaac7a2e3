/**
 * What an unexpected error may put in a log line. Logs are read by people who must not see
 * customer data, so nothing that can carry a customer's name, email or notes gets through:
 * drizzle's `Failed query … params: …` (the params are the values), Postgres' `detail` (`Key
 * (email)=(…)`), and quoted literals in driver messages (`invalid input syntax for type uuid:
 * "…"`). What stays: the error's class, the SQLSTATE, the constraint/table/column, the query
 * text (parametrised, so it holds no values) and the stack frames. Ids are for logs.
 */
type ErrorLike = {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  routine?: unknown;
  stack?: unknown;
  cause?: unknown;
};

/** Anything after `params:` (a failed query's values) and Postgres' `Key (…)=(…)` details become `…`. */
export function scrubLogText(text: string): string {
  return text
    .replace(/\bparams:[\s\S]*$/i, "params: …")
    .replace(/\bKey \(([^)]*)\)=\([\s\S]*?\)( already exists| is not present)?/g, "Key ($1)=(…)$2")
    .slice(0, 4000);
}

/** A driver message may quote the value it choked on (`invalid input syntax for type uuid: "…"`). */
function scrubQuotedValues(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'(?:[^'\\]|\\.)*'/g, "'…'");
}

function describeOne(err: unknown): string {
  if (!(err instanceof Error) && (typeof err !== "object" || err === null)) return `non-error thrown (${typeof err})`;
  const e = err as ErrorLike;
  const parts = [String(e.name ?? "Error")];
  if (typeof e.code === "string" || typeof e.code === "number") parts.push(`code=${String(e.code)}`);
  for (const key of ["constraint", "table", "column", "routine"] as const) if (typeof e[key] === "string") parts.push(`${key}=${e[key]}`);
  if (typeof e.message === "string") {
    const text = scrubLogText(e.message.split("\n").slice(0, 3).join(" | "));
    // An SQLSTATE (five characters) marks a driver error: its message quotes input values.
    parts.push(typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? scrubQuotedValues(text) : text);
  }
  return parts.join(" ");
}

/** One log-safe line (plus stack frames) for an error and its causes. */
export function describeErrorForLog(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth += 1) {
    lines.push((depth ? "caused by " : "") + describeOne(current));
    current = (current as ErrorLike).cause;
  }
  const stack =
    err instanceof Error && typeof err.stack === "string"
      ? err.stack
          .split("\n")
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 8)
      : [];
  return [...lines, ...stack].join("\n");
}
