"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionError, ActionResult } from "@/lib/http/server-action";

/**
 * Saving a studio record (artist, service, the studio's contact details) from its form: the pending state, field errors, the
 * "Saved." note, and — for a new record — going to its own page once it has an id.
 */
export function useSaveRecord<Input, Output>(
  save: (input: Input) => Promise<ActionResult<Output>>,
  opts: { formId: string; pathOfNew: ((id: string) => string) | null },
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);

  function submit(input: Input) {
    setSaved(false);
    startTransition(async () => {
      const result = await save(input);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setSaved(true);
      const newId = (result.data as { id?: unknown } | null)?.id;
      if (opts.pathOfNew && typeof newId === "string") router.push(opts.pathOfNew(newId));
      else router.refresh();
    });
  }

  /** aria wiring of one field to its error message (rendered by FieldError with id `${formId}-${name}-error`). */
  const fieldProps = (name: string) => ({
    "aria-invalid": Boolean(error?.fields?.[name]),
    "aria-describedby": error?.fields?.[name] ? `${opts.formId}-${name}-error` : undefined,
  });

  return { pending, error, saved, submit, fieldProps };
}
