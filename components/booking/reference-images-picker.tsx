"use client";

import { useEffect, useRef, useState } from "react";
import { removeReferenceImageAction, uploadReferenceImageAction } from "@/app/book/reference-image-actions";
import { MAX_REFERENCE_IMAGES } from "@/lib/intake/questions";
import { mediaVariantUrl, pickWidth, type ShownImage } from "@/lib/media/media-urls";
import "../media.css";

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,image/webp,image/avif";

type Props = {
  /** The live hold the images attach to; null while there is none (nothing can be added then). */
  hold: { id: string; token: string } | null;
  images: ShownImage[];
  onImagesChange: (images: ShownImage[]) => void;
  idPrefix?: string;
};

/** Refused in the browser already, with the same words the server would use, so nobody waits for a 10 MB upload to fail. */
function precheck(file: File): string | null {
  if (/\.(heic|heif)$/i.test(file.name) || /image\/hei[cf]/i.test(file.type)) {
    return "HEIC photos (the iPhone default) cannot be read here yet. Export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) and try again.";
  }
  if (file.size > MAX_BYTES) return `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; images can be at most 10 MB.`;
  if (file.size === 0) return "The file is empty.";
  return null;
}

/**
 * Reference images for a request (up to five, 10 MB each): each is uploaded to the hold as soon
 * as it is chosen, where the server keeps it only if it decodes as a picture; thumbnails show
 * what was kept, each with a Remove button, and every refusal says which file and why.
 */
export function ReferenceImagesPicker({ hold, images, onImagesChange, idPrefix = "ref" }: Props) {
  const [busy, setBusy] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const [status, setStatus] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const current = useRef(images);
  useEffect(() => {
    current.current = images;
  }, [images]);
  const left = MAX_REFERENCE_IMAGES - images.length;

  async function add(files: File[]) {
    if (!hold) return;
    const problems: string[] = [];
    let room = MAX_REFERENCE_IMAGES - current.current.length;
    const queue: File[] = [];
    for (const file of files) {
      const problem = precheck(file);
      if (problem) problems.push(`${file.name}: ${problem}`);
      else if (room <= 0) problems.push(`${file.name}: you can add up to ${MAX_REFERENCE_IMAGES} images.`);
      else {
        queue.push(file);
        room--;
      }
    }
    setErrors([...problems]);
    setBusy(queue.length);
    for (const file of queue) {
      setStatus(`Uploading ${file.name}…`);
      const form = new FormData();
      form.set("holdId", hold.id);
      form.set("holdToken", hold.token);
      form.set("file", file);
      let message: string | null = null;
      try {
        const res = await uploadReferenceImageAction(form);
        if (res.ok) {
          current.current = [...current.current, res.data];
          onImagesChange(current.current);
        } else {
          message = res.error.fields?.file?.[0] ?? res.error.message;
        }
      } catch {
        message = "The upload did not reach the studio. Check your connection and try again.";
      }
      if (message) problems.push(`${file.name}: ${message}`);
      setErrors([...problems]);
      setBusy((n) => n - 1);
    }
    setStatus(queue.length > 0 ? `${current.current.length} of ${MAX_REFERENCE_IMAGES} images added.` : "");
    if (input.current) input.current.value = "";
  }

  async function remove(image: ShownImage, index: number) {
    if (!hold) return;
    const res = await removeReferenceImageAction({ holdId: hold.id, holdToken: hold.token, imageId: image.id }).catch(() => null);
    if (!res || !res.ok) {
      setErrors([res ? res.error.message : "Could not reach the studio to remove it. Try again."]);
      return;
    }
    current.current = current.current.filter((i) => i.id !== image.id);
    onImagesChange(current.current);
    setStatus(`Image ${index + 1} removed.`);
  }

  const inputId = `${idPrefix}-file`;
  return (
    <div className={`field reference-images${errors.length > 0 ? " has-error" : ""}`} data-testid="reference-images">
      <label htmlFor={inputId}>
        Reference images <span className="optional">(optional)</span>
      </label>
      <p className="hint" id={`${inputId}-hint`}>
        Up to {MAX_REFERENCE_IMAGES} photos or sketches (JPEG, PNG, WebP or AVIF, 10 MB each). Only the studio sees them.
      </p>
      {images.length > 0 ? (
        <ul className="reference-thumbs" aria-label="Reference images added">
          {images.map((image, i) => (
            <li key={image.id}>
              <img src={mediaVariantUrl(image, pickWidth(image, 192), "jpeg")} width={96} height={96} alt={`Reference image ${i + 1}`} />
              <button type="button" className="link-button" onClick={() => void remove(image, i)} aria-label={`Remove reference image ${i + 1}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {left > 0 ? (
        <input
          ref={input}
          id={inputId}
          type="file"
          accept={ACCEPT}
          multiple
          disabled={!hold || busy > 0}
          aria-describedby={[`${inputId}-hint`, errors.length > 0 ? `${inputId}-error` : ""].filter(Boolean).join(" ")}
          onChange={(e) => void add(Array.from(e.target.files ?? []))}
        />
      ) : (
        <p className="small">That is the most you can add; remove one to add another.</p>
      )}
      <p className="sr-only" aria-live="polite">
        {status}
      </p>
      {busy > 0 ? (
        <p className="small" aria-hidden="true">
          <span className="spinner" /> Uploading…
        </p>
      ) : null}
      {errors.length > 0 ? (
        <div className="field-error" id={`${inputId}-error`} role="alert">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
