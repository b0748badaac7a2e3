"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;
const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
};

/** The zone the customer's device is set to; null while rendering on the server (and before hydration). */
export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(subscribe, browserZone, () => null);
}
