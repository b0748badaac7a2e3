/**
 * The JSON log (lib/log/logger.ts). If these fail, a log line shipped to a log service carries a
 * customer's name, email address, phone number or notes, or the lines stop being one JSON object
 * each with the ids an operator greps for.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { childLogger, createLogger } from "@/lib/log/logger";

function capture(level = "info") {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, destination });
  return { log, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), raw: () => lines.join("\n") };
}

describe("the JSON logger", () => {
  it("blanks a customer's name, email, phone and notes even when a caller puts them in a line", () => {
    const { log, lines, raw } = capture();
    log.info(
      {
        bookingId: "5a0c6a4e-9d53-4bb1-9d47-2b8a4b0c1f10",
        customerName: "Ada Lovelace",
        customerEmail: "ada@example.com",
        customerPhone: "+49 30 1234567",
        notes: "left forearm, fine line",
        booking: { customerName: "Ada Lovelace", email: "ada@example.com", phone: "+49 30 1234567", notes: "left forearm" },
        customer: { name: "Ada Lovelace", email: "ada@example.com" },
        recipient: "ada@example.com",
      },
      "booking requested",
    );
    const [line] = lines();
    expect(line).toMatchObject({
      level: "info",
      msg: "booking requested",
      bookingId: "5a0c6a4e-9d53-4bb1-9d47-2b8a4b0c1f10",
      customerName: "[redacted]",
      customerEmail: "[redacted]",
      customerPhone: "[redacted]",
      notes: "[redacted]",
      booking: { customerName: "[redacted]", email: "[redacted]", phone: "[redacted]", notes: "[redacted]" },
      customer: "[redacted]",
      recipient: "[redacted]",
    });
    for (const secret of ["Ada", "Lovelace", "ada@example.com", "1234567", "forearm"]) expect(raw()).not.toContain(secret);
  });

  it("scrubs mail addresses out of a logged error (an SMTP refusal quotes the recipient)", () => {
    const { log, lines, raw } = capture();
    log.warn({ err: new Error("550 5.1.1 <ada@example.com>: Recipient address rejected"), notificationId: "n-1" }, "delivery failed");
    const [line] = lines();
    expect((line!.err as { message: string }).message).toContain("550 5.1.1 <<address>>: Recipient address rejected");
    expect(line!.notificationId).toBe("n-1");
    expect(raw()).not.toContain("ada@example.com");
  });

  it("keeps a failed query's values (a customer's name and email) out of a logged error", () => {
    const { log, lines, raw } = capture();
    const driverError = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (customer_email)=(ana@example.com) already exists.",
    });
    log.error({ err: new Error("Failed query: update bookings set customer_name = $1\nparams: Ana Secret,ana@example.com", { cause: driverError }) }, "x");
    expect(JSON.stringify(lines()[0]!.err)).toContain("23505");
    expect(raw()).not.toMatch(/Ana Secret|ana@example\.com/);
  });

  it("writes one JSON object per line with an ISO time, and nothing below its level", () => {
    const { log, lines } = capture("warn");
    log.info({ jobId: "1" }, "not shown");
    log.child({ component: "jobs", jobId: "42" }).error({ bookingId: "b-1" }, "job failed");
    const all = lines();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ level: "error", component: "jobs", jobId: "42", bookingId: "b-1", msg: "job failed", app: "holdfast" });
    expect(new Date(all[0]!.time as string).toISOString()).toBe(all[0]!.time);
  });

  it("follows LOG_LEVEL set after a module made its logger (npm start reads .env after loading the modules)", () => {
    const log = childLogger("test");
    const before = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = "debug";
      expect(log.level).toBe("debug");
      expect(log.isLevelEnabled("debug")).toBe(true);
      process.env.LOG_LEVEL = "silent";
      expect(log.isLevelEnabled("error")).toBe(false);
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });
});
