import type { ShownImage } from "@/lib/media/media-urls";
import { InitialsAvatar } from "@/components/ui/initials-avatar";
import { ResponsiveImage } from "./responsive-image";
import "./media.css";

const PIXELS = { md: 52, lg: 72 } as const;

/**
 * The artist's photo, round, where the initials badge would be; the initials when there is none.
 * Decorative like the badge (alt=""): the artist's name is always printed beside it.
 */
export function ArtistPortrait({ name, portrait, size = "md" }: { name: string; portrait: ShownImage | null | undefined; size?: "md" | "lg" }) {
  if (!portrait) return <InitialsAvatar name={name} size={size} />;
  return (
    <span className={`avatar avatar-${size} avatar-photo`} data-testid="artist-portrait">
      <ResponsiveImage image={portrait} sizes={`${PIXELS[size]}px`} displayWidth={PIXELS[size]} square alt="" eager={size === "lg"} />
    </span>
  );
}
