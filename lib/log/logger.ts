/**
 * Structured JSON logs (pino), one line per event on stdout, for the booking path: jobs, calendar
 * pushes and pulls, mail delivery, transitions, booking route errors. Every line names what it is
 * about by id (bookingId, jobId, calendarId, notificationId), never by the customer: callers pass
 * ids and outcomes only, and `redact` blanks the customer's fields should one slip into a line
 * anyway (the second lock). Error texts are scrubbed of addresses (an SMTP server's refusal
 * quotes the recipient).
 *
 * The level comes from LOG_LEVEL (default info); the tests run with `silent`.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { readEnv } from "@/lib/env";
import { describeErrorForLog } from "@/lib/http/describe-error-for-log";

export type { Logger } from "pino";

/** Keys that hold a customer's personal data, wherever they appear in a line (top level or one object down). */
export const REDACTED_KEYS = ["customerName", "customerEmail", "customerPhone", "notes", "email", "phone", "recipient", "to", "replyTo", "customer"] as const;

const REDACT_PATHS = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);

const ADDRESS = /[^\s<>"'@(),;:]+@[^\s<>"'@(),;:]+/g;

/** An error text without mail addresses in it. */
export function scrubAddresses(text: string): string {
  return text.replace(ADDRESS, "<address>");
}

/**
 * An error as a log may hold it: the log-safe description of lib/http (no failed query's params,
 * no Postgres `Key (…)=(…)` detail, the causes, the stack frames), with mail addresses scrubbed.
 */
function serializeError(err: unknown) {
  const [message = "", ...rest] = scrubAddresses(describeErrorForLog(err)).split("\n");
  const code = (err as { code?: unknown } | null)?.code;
  return {
    type: err instanceof Error ? err.name : typeof err,
    message,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(rest.length ? { stack: rest.join("\n") } : {}),
  };
}

export type LogLevel = LoggerOptions["level"];

/** A logger with Holdfast's options; tests pass their own destination to read the lines back. */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options: LoggerOptions = {
    // readEnv, not getEnv: the worker, CLI scripts and the benchmark log without the full configuration.
    level: opts.level ?? readEnv(["LOG_LEVEL"]).LOG_LEVEL,
    base: { app: "holdfast" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/**
 * The root logger, made again when LOG_LEVEL changes: `npm start` reads .env after the modules
 * (and their loggers) are loaded, and tests may change the level. Cheap to check on every line.
 */
let root: { logger: Logger; level: string; destination: DestinationStream | undefined } | undefined;
let rootDestination: DestinationStream | undefined;
function currentRoot(): Logger {
  const level = readEnv(["LOG_LEVEL"]).LOG_LEVEL;
  if (!root || root.level !== level || root.destination !== rootDestination) {
    root = { logger: createLogger({ level, destination: rootDestination }), level, destination: rootDestination };
  }
  return root.logger;
}

/**
 * Where every logger's lines go: stdout unless a stream is given (a test reads the lines a
 * module wrote back this way); `undefined` goes back to stdout.
 */
export function setLogDestination(destination: DestinationStream | undefined) {
  rootDestination = destination;
}

/** A stand-in that forwards to the logger `resolve` answers now (so a module may hold it from its load on). */
function forwarding(resolve: () => Logger): Logger {
  return new Proxy({} as Logger, {
    get(_target, prop) {
      const target = resolve();
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The process's root logger. */
export const logger: Logger = forwarding(currentRoot);

/**
 * A logger for one part of the code ("jobs", "caldav.push", "notifications", "bookings", "http"),
 * with optional fixed fields (a job's id and name) on every line.
 */
export function childLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  let made: { from: Logger; child: Logger } | undefined;
  return forwarding(() => {
    const from = currentRoot();
    if (made?.from !== from) made = { from, child: from.child({ component, ...bindings }) };
    return made.child;
  });
}

/** A logger for one part of the code while it runs a job: every line names the job (id, name, attempt). */
export function jobLogger(job: { id: string; task_identifier: string; attempts: number }, component: string): Logger {
  return childLogger(component, { jobId: job.id, jobName: job.task_identifier, attempt: job.attempts });
}

/** Milliseconds since `started` (a performance.now() reading), rounded, for a line's durationMs. */
export function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}
