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
