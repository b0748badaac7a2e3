const PALETTE = ["#7a3b1d", "#2f5d62", "#5b3f8c", "#8a4b08", "#1f5f3f", "#7b2d4a"];

function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join("").toUpperCase();
}

function colourFor(seed: string) {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** A round badge with someone's initials, for artists without a photo. Decorative: the name is always printed next to it. */
export function InitialsAvatar({ name, size = "md" }: { name: string; size?: "md" | "lg" }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ background: colourFor(name) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
