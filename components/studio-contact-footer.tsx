import { Fragment } from "react";
import type { PublicStudioInfo } from "@/lib/studio/public-studio-info";
import { CustomerPagesOnly } from "./customer-pages-only";

/**
 * How to reach the studio, at the foot of every customer page: its name, address, phone, email and
 * map link. Pages link here (#studio-contact) wherever they tell the customer to contact the studio.
 */
export function StudioContactFooter({ studio }: { studio: Pick<PublicStudioInfo, "name" | "contact"> }) {
  const { name, contact } = studio;
  return (
    <CustomerPagesOnly>
      <footer className="site-footer" id="studio-contact" data-testid="studio-contact">
        <address style={{ fontStyle: "normal", overflowWrap: "anywhere" }}>
          <p>
            <strong>{name}</strong>
            {contact.addressLines.map((line, i) => (
              <Fragment key={i}>
                <br />
                {line}
              </Fragment>
            ))}
            {contact.mapUrl ? (
              <>
                <br />
                <a href={contact.mapUrl} target="_blank" rel="noopener noreferrer">
                  Show on a map
                </a>
              </>
            ) : null}
          </p>
          {contact.phone || contact.email ? (
            <p>
              {contact.phone ? <>Phone: {contact.phoneHref ? <a href={contact.phoneHref}>{contact.phone}</a> : contact.phone}</> : null}
              {contact.phone && contact.email ? <br /> : null}
              {contact.email ? <>Email: {contact.mailtoHref ? <a href={contact.mailtoHref}>{contact.email}</a> : contact.email}</> : null}
            </p>
          ) : null}
        </address>
      </footer>
    </CustomerPagesOnly>
  );
}
