import { z } from "@/lib/zod";
import { singleLineString } from "@/lib/bookings/schemas";
import { MAX_IMAGE_BYTES } from "./process-image";

/** An uploaded file from a FormData: a File (Node 20 has the global), at most 10 MB (the pipeline checks again, after decoding). */
export const uploadedFileSchema = z
  .instanceof(File, { error: "Choose an image file" })
  .refine((f) => f.size > 0, "The file is empty")
  .refine((f) => f.size <= MAX_IMAGE_BYTES, "Images can be at most 10 MB each");

export const altTextSchema = singleLineString("Write the description on one line").trim().max(300, "Keep the description under 300 characters");

/** The admin's upload (a FormData: a File cannot travel in a plain object): artistId, role, altText, file. */
export const artistImageUploadSchema = z
  .instanceof(FormData, { error: "Send the image as form data" })
  .transform((form) => ({ artistId: form.get("artistId"), role: form.get("role"), altText: form.get("altText") ?? "", file: form.get("file") }))
  .pipe(
    z.object({
      artistId: z.uuid({ error: "Save the artist first" }),
      role: z.enum(["portrait", "portfolio"], { error: "Choose portrait or portfolio" }),
      altText: altTextSchema,
      file: uploadedFileSchema,
    }),
  );

export const artistMediaDetailsSchema = z.object({
  artistId: z.uuid(),
  /** The portrait and the portfolio pieces; the portfolio's order is the order of this list. */
  items: z.array(z.object({ id: z.uuid(), altText: altTextSchema })).max(60),
});

export const artistImageIdSchema = z.object({ imageId: z.uuid({ error: "Not an image id" }) });
