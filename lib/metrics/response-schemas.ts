import { z } from "@/lib/zod";

const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? ([-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|Inf)|NaN|Nan)( -?\d+)?$/;

/** True when every line of `text` is a comment, blank, or a sample of the Prometheus text format 0.0.4. */
export function isPrometheusText(text: string): boolean {
  return text.split("\n").every((line) => line === "" || line.startsWith("#") || SAMPLE.test(line));
}

/** GET /api/metrics: Prometheus' text exposition format (not JSON). */
export const prometheusTextSchema = z
  .string()
  .refine(isPrometheusText, "is not Prometheus text (every line a # comment or `name{labels} value`)")
  .meta({ description: 'Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` lines and `name{label="value"} number` samples.' });
