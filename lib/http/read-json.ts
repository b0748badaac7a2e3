import { z } from "@/lib/zod";
import { HoldfastError } from "@/lib/errors";
import { zodFieldErrors } from "./zod-field-errors";

export const MAX_JSON_BYTES = 32 * 1024;

/** Reads and validates a JSON body: 413 past the limit, 415/400 for non-JSON, 400 with fields for bad values. */
export async function readJson<T extends z.ZodType>(req: Request, schema: T, maxBytes = MAX_JSON_BYTES): Promise<z.infer<T>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new HoldfastError("payload_too_large", `The request body must be at most ${maxBytes} bytes`);
  const type = req.headers.get("content-type") ?? "";
  if (type && !type.includes("application/json")) throw new HoldfastError("unsupported_media_type", "Send the body as application/json");

  let text = "";
  if (req.body) {
    const reader = req.body.getReader();
    const decoder = new TextDecoder();
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new HoldfastError("payload_too_large", `The request body must be at most ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  }
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new HoldfastError("invalid_json", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HoldfastError("invalid_input", "Some fields are not valid", { fields: zodFieldErrors(parsed.error) });
  return parsed.data;
}

export function parseQuery<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new HoldfastError("invalid_input", "Some query parameters are not valid", { fields: zodFieldErrors(parsed.error) });
  return parsed.data;
}
