import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { HoldfastError } from "@/lib/errors";
import { MAX_IMAGE_BYTES, processImage, variantWidths } from "@/lib/media/process-image";

async function refusal(bytes: Buffer): Promise<HoldfastError> {
  try {
    await processImage(bytes, "file");
  } catch (err) {
    expect(err).toBeInstanceOf(HoldfastError);
    return err as HoldfastError;
  }
  throw new Error("the pipeline accepted it");
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.alloc(1024))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#b03a2e" } });

describe("image pipeline (lib/media/process-image.ts)", () => {
  it("refuses a PDF or an HTML page renamed .jpg with a message for the form, so no script or document is ever stored as a 'photo'", async () => {
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    const html = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
    for (const bytes of [pdf, html]) {
      const err = await refusal(bytes);
      expect(err.code).toBe("invalid_input");
      expect(err.fields?.file?.[0]).toMatch(/not an image we can read.*JPEG, PNG, WebP or AVIF/);
    }
  });

  it("refuses SVG and GIF (decodable, but not a photo format we take)", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expect((await refusal(svg)).fields?.file?.[0]).toMatch(/SVG files are not taken/);
    const gif = await photo(10, 10).gif().toBuffer();
    expect((await refusal(gif)).fields?.file?.[0]).toMatch(/GIF files are not taken/);
  });

  it("refuses an empty file with a message that says so (a failed phone upload), rather than 'not an image'", async () => {
    const err = await refusal(Buffer.alloc(0));
    expect(err.code).toBe("invalid_input");
    expect(err.fields?.file?.[0]).toMatch(/The file is empty/);
  });

  it("refuses a file over 10 MB before decoding it", async () => {
    const err = await refusal(Buffer.alloc(MAX_IMAGE_BYTES + 1, 0xff));
    expect(err.code).toBe("payload_too_large");
    expect(err.fields?.file?.[0]).toMatch(/at most 10 MB/);
  });

  it("refuses a decompression bomb (a small PNG claiming 20000×20000 pixels) from its header", async () => {
    // The header claims 1.6 GB of pixels; the file is a few dozen bytes (a hand-made PNG: IHDR + a tiny IDAT).
    const bomb = pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(MAX_IMAGE_BYTES);
    const err = await refusal(bomb);
    expect(err.fields?.file?.[0]).toMatch(/too many pixels|20000×20000 pixels/);
  });

  it("strips EXIF including GPS from a phone photo, and turns it upright from its orientation", async () => {
    // 400×200 stored sideways with orientation 6 ("rotate 90° clockwise to view"), plus GPS and a camera name.
    const withExif = await photo(400, 200)
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: "PhoneCo", Copyright: "someone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1" } } })
      .toBuffer();
    const before = await sharp(withExif).metadata();
    expect(before.exif?.includes(Buffer.from("GPS")) || before.exif?.includes(Buffer.from("PhoneCo"))).toBe(true);
    expect(before.orientation).toBe(6);

    const out = await processImage(withExif);
    expect([out.width, out.height]).toEqual([200, 400]);
    expect(out.variants.map((v) => `${v.width}.${v.format}`)).toEqual(["200.webp", "200.jpeg"]);
    for (const v of out.variants) {
      const meta = await sharp(v.bytes).metadata();
      expect(meta.exif, `${v.format} keeps EXIF`).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect([meta.width, meta.height]).toEqual([200, 400]);
      expect(v.bytes.includes(Buffer.from("PhoneCo"))).toBe(false);
    }
  });

  it("makes web sizes as WebP and JPEG and never upscales", async () => {
    expect(variantWidths(3000)).toEqual([320, 640, 1280]);
    expect(variantWidths(700)).toEqual([320, 640, 700]);
    expect(variantWidths(100)).toEqual([100]);
    const out = await processImage(await photo(2000, 1500).png().toBuffer());
    expect(out.variants.map((v) => [v.width, v.height, v.format])).toEqual([
      [320, 240, "webp"],
      [320, 240, "jpeg"],
      [640, 480, "webp"],
      [640, 480, "jpeg"],
      [1280, 960, "webp"],
      [1280, 960, "jpeg"],
    ]);
    expect((await sharp(out.variants[0]!.bytes).metadata()).format).toBe("webp");
    expect((await sharp(out.variants[1]!.bytes).metadata()).format).toBe("jpeg");
  });

  it("takes PNG with transparency, WebP and AVIF", async () => {
    const transparent = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const jpeg = (await processImage(transparent)).variants.find((v) => v.format === "jpeg")!;
    const { data } = await sharp(jpeg.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240); // laid on white, not black
    await expect(processImage(await photo(64, 64).webp().toBuffer())).resolves.toMatchObject({ width: 64 });
    await expect(processImage(await photo(64, 64).avif().toBuffer())).resolves.toMatchObject({ width: 64 });
  });

  it("refuses a truncated JPEG (only whole pictures are kept)", async () => {
    const whole = await photo(800, 600).jpeg().toBuffer();
    const err = await refusal(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(err.fields?.file?.[0]).toMatch(/damaged|not an image/);
  });
});
