/**
 * Customer text at the door: the public API and the booking form (the same zod schemas run in the
 * browser) either normalise hostile names and notes or refuse them with a field error. If these
 * fail, a name like "Dave\rX-INJECTED:1" is stored as sent, or a NUL reaches Postgres and the
 * customer gets a 500 instead of a message next to the field.
 */
import { describe, expect, it } from "vitest";
import { bookingFormSchema } from "@/lib/bookings/booking-form";
import { availabilityQuerySchema, customerCancelSchema, submitRequestSchema } from "@/lib/bookings/schemas";
import { zodFieldErrors } from "@/lib/http/zod-field-errors";

const valid = {
  holdId: "6f1c2a5e-1111-4222-8333-944455556666",
  holdToken: "hold-token-0123456789",
  customer: { name: "Ana Example", email: "ana@example.com", phone: "+49 30 1234567" },
  notes: "Small rose",
};

type Customer = { name?: string; email?: string; phone?: string };
const submit = (customer: Customer, notes: string | undefined = valid.notes) =>
  submitRequestSchema.safeParse({ ...valid, customer: { ...valid.customer, ...customer }, notes });
const form = (customer: Customer, notes: string | undefined = valid.notes) =>
  bookingFormSchema.safeParse({ customer: { ...valid.customer, ...customer }, notes, consent: true });

/** The field errors the API answers with (400 {error:{fields}}) and the form shows. */
function fieldsOf(result: ReturnType<typeof submit> | ReturnType<typeof form>) {
  expect(result.success).toBe(false);
  return result.success ? {} : zodFieldErrors(result.error);
}

const oneLineHostile: Array<[string, string]> = [
  ["bare CR injection", "Dave\rX-INJECTED:1"],
  ["bare LF", "Dave\nX-INJECTED:1"],
  ["CRLF", "Dave\r\nATTENDEE:mailto:x@example.com"],
  ["NUL", "Da\u0000ve"],
  ["tab", "Da\tve"],
  ["escape (C0)", "Dave\u001b[31m"],
  ["DEL", "Dave\u007f"],
  ["C1 (NEL)", "Dave\u0085RRULE:FREQ=DAILY"],
  ["C1 (CSI)", "Dave\u009b31m"],
  ["line separator", "Dave\u2028RRULE:FREQ=DAILY"],
  ["paragraph separator", "Dave\u2029RRULE:FREQ=DAILY"],
  ["trailing CR (trimming would hide it)", "Dave\r"],
];

describe("names, emails and phones are one line", () => {
  for (const [what, value] of oneLineHostile) {
    it(`refuses a name with a ${what} with an error on customer.name, in the API and in the form`, () => {
      expect(Object.keys(fieldsOf(submit({ name: value })))).toEqual(["customer.name"]);
      expect(Object.keys(fieldsOf(form({ name: value })))).toEqual(["customer.name"]);
    });
    it(`refuses an email and a phone with a ${what} with errors on those fields`, () => {
      expect(Object.keys(fieldsOf(submit({ email: `ana${value}@example.com` })))).toEqual(["customer.email"]);
      expect(Object.keys(fieldsOf(submit({ phone: `+49 30${value.replace(/[A-Za-z:]/g, "")}1` })))).toEqual(["customer.phone"]);
    });
  }

  it("keeps names that are merely unusual: punctuation, emoji, right-to-left text", () => {
    for (const name of ["O'Neil; Ann, \\Jr.: the 2nd", "Ana 👩‍👩‍👧‍👦 🏳️‍🌈", "\u202Bمرحبا\u200F שלום", "  Ana  "]) {
      const result = submit({ name });
      expect(result.success, name).toBe(true);
      expect(result.data?.customer.name).toBe(name.trim());
    }
  });

  it("still limits lengths", () => {
    expect(Object.keys(fieldsOf(submit({ name: "a".repeat(121) })))).toEqual(["customer.name"]);
    expect(Object.keys(fieldsOf(submit({ phone: "1".repeat(41) })))).toEqual(["customer.phone"]);
  });
});

describe("notes keep their line breaks, written one way", () => {
  it("turns the bare-CR injection into plain lines of text", () => {
    const result = submit({}, "hi\rATTENDEE:mailto:x@example.com\rRRULE:FREQ=DAILY");
    expect(result.data?.notes).toBe("hi\nATTENDEE:mailto:x@example.com\nRRULE:FREQ=DAILY");
    expect(form({}, "hi\rATTENDEE:mailto:x@example.com\rRRULE:FREQ=DAILY").data?.notes).toBe("hi\nATTENDEE:mailto:x@example.com\nRRULE:FREQ=DAILY");
  });

  it("normalises CRLF, lone CR and the Unicode separators to \\n and keeps tabs", () => {
    expect(submit({}, "a\r\nb\rc\nd\u2028e\u2029f\tg").data?.notes).toBe("a\nb\nc\nd\ne\nf\tg");
  });

  it("keeps punctuation, emoji and right-to-left text as typed", () => {
    const notes = "Cover-up; large, colour \\ 🎨 👩‍👩‍👧‍👦 \u202Bمرحبا\u200F: yes";
    expect(submit({}, notes).data?.notes).toBe(notes);
  });

  for (const [what, value] of [
    ["NUL", "a\u0000b"],
    ["escape", "a\u001b[2Jb"],
    ["vertical tab", "a\u000bb"],
    ["form feed", "a\u000cb"],
    ["DEL", "a\u007fb"],
    ["C1 (NEL)", "a\u0085b"],
  ] as const) {
    it(`refuses notes with a ${what} with an error on notes (refused rather than stripped, so the customer sees what the studio reads)`, () => {
      expect(Object.keys(fieldsOf(submit({}, value)))).toEqual(["notes"]);
      expect(Object.keys(fieldsOf(form({}, value)))).toEqual(["notes"]);
    });
  }

  it("still limits notes to 2000 characters, counted after normalising", () => {
    expect(submit({}, "a\r\n".repeat(1000)).success).toBe(true);
    expect(Object.keys(fieldsOf(submit({}, "a".repeat(2001))))).toEqual(["notes"]);
  });
});

describe("other text the public API takes", () => {
  it("answers a NUL in an artist, a token or a cancel reason with a field error, not a database error", () => {
    const availability = availabilityQuerySchema.safeParse({ artist: "mara\u0000", service: "flash", from: "2026-12-01", to: "2026-12-07" });
    expect(availability.success).toBe(false);
    expect(Object.keys(zodFieldErrors(availability.error!))).toEqual(["artist"]);
    expect(Object.keys(fieldsOf(submitRequestSchema.safeParse({ ...valid, holdToken: "hold-token\u0000-0123456789" })))).toEqual(["holdToken"]);
    const cancel = customerCancelSchema.safeParse({ token: "0123456789abcdef", reason: "sorry\u0000" });
    expect(Object.keys(zodFieldErrors(cancel.error!))).toEqual(["reason"]);
    expect(customerCancelSchema.parse({ token: "0123456789abcdef", reason: "ill\r\nsorry" }).reason).toBe("ill\nsorry");
  });
});
