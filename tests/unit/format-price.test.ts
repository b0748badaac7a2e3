import { describe, expect, it } from "vitest";
import { formatPrice } from "@/lib/studio/format-price";

// The admin's services table and the public pages both print through formatPrice; these strings
// are what a customer and the studio read, so they are pinned exactly.
describe("formatPrice", () => {
  it("prints euros without a needless .00 and with cents when there are some", () => {
    expect(formatPrice(9000, "EUR")).toBe("€90");
    expect(formatPrice(9050, "EUR")).toBe("€90.50");
    expect(formatPrice(9005, "EUR")).toBe("€90.05");
    expect(formatPrice(123456, "EUR")).toBe("€1,234.56");
  });

  it("names the dollar (US$) because a bare $ could be any of a dozen currencies", () => {
    expect(formatPrice(9000, "USD")).toBe("US$90");
    expect(formatPrice(12345, "USD")).toBe("US$123.45");
    expect(formatPrice(1, "USD")).toBe("US$0.01");
  });

  it("says Free for a zero price, in any currency", () => {
    expect(formatPrice(0, "EUR")).toBe("Free");
    expect(formatPrice(0, "USD")).toBe("Free");
  });

  it("treats the stored amount as hundredths for every currency, as the service form stores it", () => {
    // The form stores "9000" yen as 900000; dividing by the yen's own minor unit (none) would print ¥900,000.
    expect(formatPrice(900000, "JPY")).toBe("JP¥9,000");
    expect(formatPrice(1250, "GBP")).toBe("£12.50");
  });
});
