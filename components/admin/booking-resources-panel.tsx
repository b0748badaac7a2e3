"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAdminApi, type ApiError } from "./api";

type Ref = { id: string; name: string; kind: string };
type Props = {
  booking: { id: string; status: string; version: number };
  resources: Ref[];
  /** Per kind the service needs, the rooms or stations it may use. */
  choices: { kind: string; options: Ref[] }[];
};

const MOVABLE = new Set(["hold", "awaiting_payment", "pending", "confirmed"]);

/**
 * Which room or station the booking took, and moving it into another one of the same kind. The
 * server checks the version and the room's own exclusion constraint: a taken room is a 409 and the
 * booking keeps its room.
 */
export function BookingResourcesPanel({ booking, resources, choices }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [picked, setPicked] = useState<Record<string, string>>(() => Object.fromEntries(resources.map((r) => [r.kind, r.id])));
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (choices.length === 0 && resources.length === 0) return null;
  const movable = MOVABLE.has(booking.status);

  const move = (kind: string) =>
    startTransition(async () => {
      setError(null);
      setMessage(null);
      const resourceId = picked[kind];
      if (!resourceId) return;
      const result = await callAdminApi<{ resources: Ref[] }>(`/api/admin/resources/bookings/${booking.id}`, {
        method: "PUT",
        body: { version: booking.version, kind, resourceId },
      });
      if (!result.ok) return setError(result.error);
      setMessage(`Moved to ${result.data.resources.find((r) => r.kind === kind)?.name ?? "the new " + kind}.`);
      router.refresh();
    });

  return (
    <section className="panel" aria-labelledby="b-rooms" data-testid="booking-resources">
      <h2 id="b-rooms">Room and station</h2>
      <dl className="fields">
        {choices.map((choice) => {
          const current = resources.find((r) => r.kind === choice.kind);
          return (
            <div key={choice.kind}>
              <dt>{choice.kind}</dt>
              <dd>
                <strong data-testid={`booking-resource-${choice.kind}`}>{current?.name ?? "none taken"}</strong>
                {movable && choice.options.length > 1 && (
                  <span className="inline-form">
                    {" "}
                    <label>
                      <span className="sr-only">Move to another {choice.kind}</span>
                      <select value={picked[choice.kind] ?? ""} onChange={(e) => setPicked({ ...picked, [choice.kind]: e.target.value })} disabled={pending}>
                        {!current && <option value="">Pick a {choice.kind}</option>}
                        {choice.options.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.name}
                          </option>
                        ))}
                      </select>
                    </label>{" "}
                    <button
                      type="button"
                      className="btn small"
                      onClick={() => move(choice.kind)}
                      disabled={pending || !picked[choice.kind] || picked[choice.kind] === current?.id}
                    >
                      Move
                    </button>
                  </span>
                )}
              </dd>
            </div>
          );
        })}
        {resources
          .filter((r) => !choices.some((c) => c.kind === r.kind))
          .map((r) => (
            <div key={r.kind}>
              <dt>{r.kind}</dt>
              <dd>
                <strong>{r.name}</strong>
              </dd>
            </div>
          ))}
      </dl>
      {message && (
        <p role="status" className="small">
          {message}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </section>
  );
}
