"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { countdown } from "./format";

type Props = {
  /** When the hold ends, as the server said. */
  expiresAt: string;
  /** Server clock minus browser clock when the hold was placed, so a wrong device clock does not matter. */
  offsetMs: number;
  onExpire: () => void;
  /** Called once at each of these many seconds left, for a spoken reminder. */
  onReminder?: (secondsLeft: number) => void;
};

const REMINDERS = [120, 30];

/** "9:41 left", ticking each second; calls onExpire once when it reaches zero. */
export function HoldCountdown({ expiresAt, offsetMs, onExpire, onReminder }: Props) {
  const deadline = Date.parse(expiresAt) - offsetMs;
  const [now, setNow] = useState(() => Date.now());
  const expire = useEffectEvent(onExpire);
  const remind = useEffectEvent((s: number) => onReminder?.(s));

  useEffect(() => {
    const pending = REMINDERS.filter((s) => deadline - Date.now() > s * 1000);
    const tick = () => {
      const t = Date.now();
      setNow(t);
      const left = deadline - t;
      while (pending.length > 0 && left <= pending[0]! * 1000) remind(pending.shift()!);
      if (left <= 0) {
        clearInterval(id);
        expire();
      }
    };
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [deadline]);

  const left = deadline - now;
  return (
    <p className={`countdown${left < 120_000 ? " urgent" : ""}`}>
      <span className="countdown-label">Held for you for</span>{" "}
      <strong className="countdown-time" role="timer" aria-live="off" aria-atomic="true">
        {countdown(left)}
      </strong>
    </p>
  );
}
