/** Field messages from an ActionError, next to their input. */
export function FieldError({ id, errors, name }: { id: string; errors?: Record<string, string[]>; name: string }) {
  const messages = errors?.[name];
  if (!messages?.length) return null;
  return (
    <p id={id} className="a-field-error">
      {messages.join(" ")}
    </p>
  );
}

/** What a save or upload did, announced politely: "Saved: …" as a status, a failure as an alert. */
export function OutcomeMessage({ message }: { message: { ok: boolean; text: string } | null }) {
  return (
    <span aria-live="polite">
      {message && (
        <span className={message.ok ? "small" : "a-field-error"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </span>
      )}
    </span>
  );
}
