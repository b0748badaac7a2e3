"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { EMBED_MESSAGE, isEmbeddablePath } from "@/lib/http/embed-paths";

/**
 * The framed side of the embed (public/embed.js is the other): while the booking page runs inside
 * the studio's site, it tells the embedding page its height (so the frame grows and shrinks with
 * the flow, no inner scrollbar), and when the flow leaves the booking pages (the confirmation, a
 * payment checkout, the manage page) it asks the embedding page to open that address itself, at the
 * top level, where checkout pages and the customer's private link belong. Messages go only to the
 * origin the script named (`parent`), so a page that frames us under another name hears nothing.
 */
/** The embedding page's origin while this page runs framed by public/embed.js; null otherwise. */
let embeddingOrigin: string | null = null;

/**
 * Goes to `url` at the top level: a payment checkout refuses to be framed, so inside the embed the
 * embedding page is asked to go there; outside it, this window goes. The embedding page follows
 * only Holdfast's own addresses, so for an address elsewhere (a Stripe Checkout session) it is
 * sent to `viaHoldfast`, a Holdfast path that redirects there.
 */
export function navigateTopLevel(url: string, viaHoldfast?: string | null) {
  if (embeddingOrigin && window.parent !== window) {
    const target = new URL(viaHoldfast ?? url, window.location.origin);
    window.parent.postMessage({ type: EMBED_MESSAGE.open, url: target.href }, embeddingOrigin);
  } else window.location.assign(url);
}

export function EmbedBridge({ parentOrigin }: { parentOrigin: string | null }) {
  const pathname = usePathname();
  const target = useRef<string | null>(null);

  useEffect(() => {
    if (window.parent === window || !parentOrigin) return;
    target.current = parentOrigin;
    embeddingOrigin = parentOrigin;
    const post = () => {
      // The lowest edge of the content, not scrollHeight: that never drops below the frame's own height, so the frame could only grow.
      const bottom = Math.max(0, ...Array.from(document.body.children).map((el) => el.getBoundingClientRect().bottom + window.scrollY));
      window.parent.postMessage({ type: EMBED_MESSAGE.height, height: Math.ceil(bottom) + 16 }, parentOrigin);
    };
    const observer = new ResizeObserver(post);
    observer.observe(document.body);
    for (const child of Array.from(document.body.children)) observer.observe(child);
    post();
    return () => observer.disconnect();
  }, [parentOrigin]);

  useEffect(() => {
    if (!target.current || window.parent === window) return;
    if (!isEmbeddablePath(pathname)) window.parent.postMessage({ type: EMBED_MESSAGE.open, url: window.location.href }, target.current);
  }, [pathname]);

  return null;
}
