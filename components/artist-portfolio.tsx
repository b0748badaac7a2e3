import type { ShownImage } from "@/lib/media/media-urls";
import { ResponsiveImage } from "./responsive-image";
import "./media.css";

/**
 * An artist's work: a grid of their portfolio images with the studio's descriptions as alt text,
 * loaded lazily at the width the layout draws them. `limit` shows the first few (the home page).
 */
export function ArtistPortfolio({
  artistName,
  images,
  limit,
  headingLevel = 2,
}: {
  artistName: string;
  images: ShownImage[];
  limit?: number;
  headingLevel?: 2 | 3;
}) {
  if (images.length === 0) return null;
  const shown = limit ? images.slice(0, limit) : images;
  const compact = limit !== undefined;
  const Heading = headingLevel === 3 ? "h3" : "h2";
  return (
    <section
      className={`portfolio${compact ? " portfolio-compact" : ""}`}
      aria-label={compact ? `Work by ${artistName}` : undefined}
      data-testid="artist-portfolio"
    >
      {compact ? null : <Heading>Work by {artistName}</Heading>}
      <ul className="portfolio-grid">
        {shown.map((image) => (
          <li key={image.id}>
            <ResponsiveImage
              image={image}
              sizes={compact ? "(max-width: 40rem) 30vw, 110px" : "(max-width: 40rem) 50vw, (max-width: 64rem) 33vw, 320px"}
              displayWidth={compact ? 110 : 320}
              alt={image.altText || `Work by ${artistName}`}
              className="portfolio-image"
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
