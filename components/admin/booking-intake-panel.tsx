import { mediaSrcSet, mediaVariantUrl, pickWidth, scaledHeight, type ShownImage } from "@/lib/media/media-urls";
import type { StoredIntakeAnswer } from "@/lib/intake/answers";
import { formatDateTimeInZone } from "@/lib/time/format-in-zone";
import "../media.css";

export type BookingIntakePanelProps = {
  answers: StoredIntakeAnswer[];
  consentGivenAt: Date | null;
  images: ShownImage[];
  /** The zone the consent time is printed in (the artist's). */
  timezone: string;
  /** The service's consent line as it reads now, shown next to when it was ticked. */
  consentText?: string;
  /** h2 on the admin detail, h1-level pages pass their own. */
  headingLevel?: 2 | 3;
};

/**
 * What the customer answered and sent with the request (placement, size, style … and their
 * reference images), as the admin's booking detail and the artist's signed intake page show it.
 * Each image opens at its largest size; nothing here is public (the URLs carry a signed token
 * outside the admin area).
 */
export function BookingIntakePanel(props: BookingIntakePanelProps) {
  const { answers, images } = props;
  const Heading = props.headingLevel === 3 ? "h3" : "h2";
  if (answers.length === 0 && images.length === 0 && !props.consentGivenAt) return null;
  return (
    <section className="panel intake-panel" aria-labelledby="intake-title" data-testid="booking-intake">
      <Heading id="intake-title">Request details</Heading>
      {answers.length > 0 ? (
        <dl className="intake-answers">
          {answers.map((a) => (
            <div key={a.id} className="intake-answer">
              <dt>{a.label}</dt>
              <dd>{a.display}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {props.consentGivenAt ? (
        <p className="small" data-testid="intake-consent">
          Ticked{props.consentText ? ` “${props.consentText}”` : " the consent line"} on {formatDateTimeInZone(props.consentGivenAt, props.timezone)}.
        </p>
      ) : null}
      {images.length > 0 ? (
        <>
          <Heading id="intake-images-title" className="intake-images-title">
            Reference images ({images.length})
          </Heading>
          <ul className="reference-thumbs intake-images" aria-labelledby="intake-images-title">
            {images.map((image, i) => {
              const largest = image.widths[image.widths.length - 1] ?? image.width;
              const shownWidth = 96;
              return (
                <li key={image.id}>
                  <a href={mediaVariantUrl(image, largest, "jpeg")} target="_blank" rel="noreferrer noopener">
                    <img
                      src={mediaVariantUrl(image, pickWidth(image, shownWidth), "jpeg")}
                      srcSet={mediaSrcSet(image, "webp")}
                      sizes={`${shownWidth}px`}
                      width={shownWidth}
                      height={scaledHeight(image, shownWidth)}
                      loading="lazy"
                      decoding="async"
                      alt={`Reference image ${i + 1} of ${images.length} (opens full size)`}
                    />
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}
