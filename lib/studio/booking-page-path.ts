/**
 * Where a customer books `service` with `artist`: the page every "Request another time" leads to
 * (the manage page, My bookings, the emails), so a customer who was turned down or cancelled
 * lands on the same artist and service instead of starting over from the home page.
 */
export function bookingPagePath(artist: { slug: string }, service: { slug: string }): string {
  return `/book/${encodeURIComponent(artist.slug)}/${encodeURIComponent(service.slug)}`;
}
