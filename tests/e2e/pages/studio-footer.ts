import type { Locator, Page } from "@playwright/test";

/** The studio's contact footer at the foot of every customer page (components/studio-contact-footer.tsx). */
export class StudioFooter {
  readonly root: Locator;
  readonly phoneLink: Locator;
  readonly emailLink: Locator;
  readonly mapLink: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole("contentinfo");
    this.phoneLink = this.root.locator('a[href^="tel:"]');
    this.emailLink = this.root.locator('a[href^="mailto:"]');
    this.mapLink = this.root.getByRole("link", { name: "Show on a map" });
  }
}

export type StudioContactRow = { name: string; email: string; phone: string; address: string; map_url: string };

/** The tel: target a phone dials for the number as the studio wrote it (what lib/studio/public-studio-info.ts links). */
export function telHref(phone: string) {
  return `tel:${phone.replace(/[^+0-9]/g, "").replace(/(?!^)\+/g, "")}`;
}
