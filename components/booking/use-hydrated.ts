"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/** False in the server render and until React has taken over the page in the browser; then true. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
