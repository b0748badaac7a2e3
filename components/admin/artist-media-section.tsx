"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { deleteArtistImageAction, saveArtistMediaAction, uploadArtistImageAction } from "@/app/admin/actions";
import { mediaVariantUrl, pickWidth, scaledHeight, type ShownImage } from "@/lib/media/media-urls";
import { OutcomeMessage } from "./field-errors";
import "./artist-media-section.css";

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,image/webp,image/avif";
const THUMB = 120;

type Message = { ok: boolean; text: string } | null;

/** Refused before the upload starts (the server checks again after decoding), so nobody waits for a 10 MB upload to fail. */
function precheck(file: File | null): string | null {
  if (!file || file.size === 0) return "Choose an image file.";
  if (file.size > MAX_BYTES) return `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; images can be at most 10 MB.`;
  return null;
}

function Thumb({ image, alt }: { image: ShownImage; alt: string }) {
  const width = pickWidth(image, THUMB * 2);
  return <img src={mediaVariantUrl(image, width, "jpeg")} width={THUMB} height={scaledHeight(image, THUMB)} alt={alt} loading="lazy" decoding="async" />;
}

/**
 * The artist's portrait and portfolio in Studio setup: upload (decoded, EXIF-stripped and resized
 * on the server), the description every image is shown with (alt text), the portfolio's order,
 * and delete.
 */
export function ArtistMediaSection({
  artistId,
  artistName,
  portrait,
  portfolio,
}: {
  artistId: string;
  artistName: string;
  portrait: ShownImage | null;
  portfolio: ShownImage[];
}) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<Message>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [alts, setAlts] = useState<Record<string, string>>(() =>
    Object.fromEntries([...(portrait ? [portrait] : []), ...portfolio].map((image) => [image.id, image.altText])),
  );
  const [order, setOrder] = useState(() => portfolio.map((p) => p.id));
  const uploadForm = useRef<HTMLFormElement>(null);

  // The server's list wins after a refresh (an upload or delete); alt edits in progress are kept.
  const known = new Set(order);
  const serverIds = portfolio.map((p) => p.id);
  const currentOrder = [...order.filter((o) => serverIds.includes(o)), ...serverIds.filter((s) => !known.has(s))];
  const byId = new Map(portfolio.map((p) => [p.id, p]));
  const altOf = (image: ShownImage) => alts[image.id] ?? image.altText;

  function onUpload(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    form.set("artistId", artistId);
    const file = form.get("file");
    const problem = precheck(file instanceof File ? file : null);
    if (problem) {
      setUploadError(problem);
      return;
    }
    setUploadError(null);
    setMessage(null);
    startTransition(async () => {
      let result;
      try {
        result = await uploadArtistImageAction(form);
      } catch {
        setUploadError("The upload did not reach the server. Check the connection and try again.");
        return;
      }
      if (!result.ok) {
        setUploadError(result.error.fields?.file?.[0] ?? result.error.fields?.altText?.[0] ?? result.error.message);
        return;
      }
      formEl.reset();
      setMessage({ ok: true, text: result.data.role === "portrait" ? "Portrait uploaded." : "Added to the portfolio." });
      router.refresh();
    });
  }

  function onSaveDetails() {
    const items = [...(portrait ? [portrait] : []), ...currentOrder.map((o) => byId.get(o)!)].map((image) => ({ id: image.id, altText: altOf(image) }));
    setMessage(null);
    startTransition(async () => {
      const result = await saveArtistMediaAction({ artistId, items });
      setMessage(result.ok ? { ok: true, text: "Descriptions and order saved." } : { ok: false, text: result.error.message });
      if (result.ok) router.refresh();
    });
  }

  function onDelete(image: ShownImage, what: string) {
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await deleteArtistImageAction({ imageId: image.id });
      setMessage(result.ok ? { ok: true, text: `Deleted ${what}.` } : { ok: false, text: result.error.message });
      if (result.ok) router.refresh();
    });
  }

  function move(imageId: string, by: -1 | 1) {
    const list = [...currentOrder];
    const at = list.indexOf(imageId);
    const to = at + by;
    if (at < 0 || to < 0 || to >= list.length) return;
    [list[at], list[to]] = [list[to]!, list[at]!];
    setOrder(list);
  }

  const altField = (image: ShownImage, label: string) => (
    <div className="a-field wide">
      <label htmlFor={`${id}-alt-${image.id}`}>{label}</label>
      <input
        id={`${id}-alt-${image.id}`}
        value={altOf(image)}
        maxLength={300}
        onChange={(e) => setAlts((a) => ({ ...a, [image.id]: e.target.value }))}
        aria-describedby={`${id}-alt-hint`}
      />
    </div>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="artist-media">
      <h2 id={`${id}-title`}>Photo and portfolio</h2>
      <p className="small muted" id={`${id}-alt-hint`}>
        JPEG, PNG, WebP or AVIF, up to 10 MB each (export iPhone HEIC photos as JPEG first). Location and camera data are removed and each image is stored in
        web sizes. Describe each image for people who cannot see it: the description is its alt text on the public pages.
      </p>

      <h3>Portrait</h3>
      {portrait ? (
        <div className="media-row" data-testid="admin-portrait">
          <Thumb image={portrait} alt={altOf(portrait) || `Portrait of ${artistName}`} />
          <div className="form-grid">
            {altField(portrait, "Portrait description")}
            <div className="btn-row">
              <button type="button" className="btn" disabled={pending} onClick={() => onDelete(portrait, "the portrait")}>
                Delete portrait
              </button>
            </div>
          </div>
        </div>
      ) : (
        <p className="muted">No portrait yet: the public pages show the artist&apos;s initials.</p>
      )}

      <h3>Portfolio</h3>
      {currentOrder.length === 0 ? (
        <p className="muted">No portfolio images yet.</p>
      ) : (
        <ol className="media-list">
          {currentOrder.map((imageId, index) => {
            const image = byId.get(imageId)!;
            return (
              <li key={imageId} className="media-row" data-testid="admin-portfolio-item">
                <Thumb image={image} alt={altOf(image) || `Portfolio image ${index + 1}`} />
                <div className="form-grid">
                  {altField(image, `Description of portfolio image ${index + 1}`)}
                  <div className="btn-row">
                    <button type="button" className="btn" disabled={pending || index === 0} onClick={() => move(imageId, -1)}>
                      Move up
                    </button>
                    <button type="button" className="btn" disabled={pending || index === currentOrder.length - 1} onClick={() => move(imageId, 1)}>
                      Move down
                    </button>
                    <button type="button" className="btn" disabled={pending} onClick={() => onDelete(image, `portfolio image ${index + 1}`)}>
                      Delete image {index + 1}
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {(portrait || currentOrder.length > 0) && (
        <div className="btn-row">
          <button type="button" className="btn primary" disabled={pending} onClick={onSaveDetails}>
            Save descriptions and order
          </button>
        </div>
      )}

      <form ref={uploadForm} onSubmit={onUpload} aria-labelledby={`${id}-upload-title`}>
        <h3 id={`${id}-upload-title`}>Upload an image</h3>
        <div className="form-grid">
          <div className="a-field">
            <label htmlFor={`${id}-role`}>Use as</label>
            <select id={`${id}-role`} name="role" defaultValue={portrait ? "portfolio" : "portrait"}>
              <option value="portrait">Portrait (replaces the current one)</option>
              <option value="portfolio">Portfolio image</option>
            </select>
          </div>
          <div className="a-field">
            <label htmlFor={`${id}-file`}>Image file</label>
            <input
              id={`${id}-file`}
              name="file"
              type="file"
              accept={ACCEPT}
              required
              aria-invalid={Boolean(uploadError)}
              aria-describedby={uploadError ? `${id}-upload-error` : undefined}
            />
          </div>
          <div className="a-field wide">
            <label htmlFor={`${id}-new-alt`}>Description (alt text)</label>
            <input id={`${id}-new-alt`} name="altText" maxLength={300} placeholder="e.g. Fine-line peony on a forearm" />
          </div>
        </div>
        {uploadError && (
          <p id={`${id}-upload-error`} className="a-field-error" role="alert">
            {uploadError}
          </p>
        )}
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={pending}>
            {pending ? "Working…" : "Upload"}
          </button>
          <OutcomeMessage message={message} />
        </div>
      </form>
    </section>
  );
}
