"use server";

import { z } from "@/lib/zod";
import { defineAction } from "@/lib/http/define-action";
import { consumeRateLimit } from "@/lib/http/rate-limit";
import { attachReferenceImage, removeReferenceImage } from "@/lib/media/reference-images";
import { MAX_IMAGE_BYTES } from "@/lib/media/process-image";

const holdRef = { holdId: z.uuid({ error: "Hold a time first" }), holdToken: z.string().min(10).max(200) };

/** The browser sends a FormData (holdId, holdToken, file): a File cannot travel in a plain object. */
const uploadSchema = z
  .instanceof(FormData, { error: "Send the image as form data" })
  .transform((form) => ({ holdId: form.get("holdId"), holdToken: form.get("holdToken"), file: form.get("file") }))
  .pipe(
    z.object({
      ...holdRef,
      file: z.instanceof(File, { error: "Choose an image file" }).refine((f) => f.size <= MAX_IMAGE_BYTES, "Images can be at most 10 MB each"),
    }),
  );

/**
 * Adds a reference image to the customer's held request. Authorised by the hold's secret token
 * (the same one the submission needs); the image is stored only after it decoded as a picture.
 */
export const uploadReferenceImageAction = defineAction({ auth: "public", input: uploadSchema }, async ({ db, client, input }) => {
  await consumeRateLimit("reference_uploads_per_ip", client.ip);
  const bytes = Buffer.from(await input.file.arrayBuffer());
  return attachReferenceImage(db, { holdId: input.holdId, holdToken: input.holdToken, bytes });
});

/** Takes an image off the held request again. */
export const removeReferenceImageAction = defineAction(
  { auth: "public", input: z.object({ ...holdRef, imageId: z.uuid({ error: "Not an image id" }) }) },
  async ({ db, input }) => removeReferenceImage(db, input),
);
