import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';

/**
 * Pictures the sandbox answers with: a face photo (a drawn face whose colours come from the IIN, so the same
 * person always has the same face), a document image and a barcode. Real PNG files, small and deterministic.
 */

type Rgb = [number, number, number];

function canvas(width: number, height: number, background: Rgb): PNG {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...background, 255], i * 4);
  return png;
}

function fill(png: PNG, test: (x: number, y: number) => boolean, color: Rgb): void {
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) if (test(x, y)) png.data.set([...color, 255], (y * png.width + x) * 4);
  }
}

function palette(seed: string): Rgb[] {
  const h = createHash('sha256').update(seed).digest();
  return [0, 3, 6, 9].map((i) => [h[i]!, h[i + 1]!, h[i + 2]!] as Rgb);
}

function drawFace(png: PNG, cx: number, cy: number, r: number, seed: string): void {
  const [skinSeed, hair] = palette(seed) as [Rgb, Rgb];
  const skin: Rgb = [200 + (skinSeed[0] % 40), 150 + (skinSeed[1] % 50), 110 + (skinSeed[2] % 50)];
  const dark: Rgb = [hair[0] % 90, hair[1] % 70, hair[2] % 60];
  fill(png, (x, y) => (x - cx) ** 2 / (r * 0.8) ** 2 + (y - cy) ** 2 / r ** 2 <= 1, skin);
  fill(png, (x, y) => y < cy - r * 0.55 && (x - cx) ** 2 / (r * 0.85) ** 2 + (y - cy) ** 2 / (r * 1.05) ** 2 <= 1, dark);
  for (const side of [-1, 1]) fill(png, (x, y) => (x - (cx + side * r * 0.3)) ** 2 + (y - (cy - r * 0.1)) ** 2 <= (r * 0.09) ** 2, [30, 30, 40]);
  fill(png, (x, y) => Math.abs(y - (cy + r * 0.45)) < r * 0.04 && Math.abs(x - cx) < r * 0.3, [150, 60, 60]);
}

/** The person's face photo (PNG, 240×300). */
export function facePhotoPng(iin: string): Buffer {
  const png = canvas(240, 300, [228, 232, 240]);
  drawFace(png, 120, 150, 100, iin);
  return PNG.sync.write(png);
}

/** An image of the document: a card with the face and coloured bands (PNG, 640×400). */
export function documentImagePng(iin: string, type: string): Buffer {
  const [band] = palette(type) as [Rgb];
  const png = canvas(640, 400, [245, 246, 250]);
  fill(png, (_x, y) => y < 60, [band[0] % 120, 80 + (band[1] % 100), 120 + (band[2] % 120)]);
  fill(png, (x, y) => x >= 30 && x < 210 && y >= 90 && y < 320, [228, 232, 240]);
  drawFace(png, 120, 205, 80, iin);
  for (let line = 0; line < 6; line++) fill(png, (x, y) => x >= 240 && x < 600 - line * 30 && y >= 100 + line * 40 && y < 112 + line * 40, [150, 156, 170]);
  return PNG.sync.write(png);
}

/** A barcode of the document number: bars from its digits (PNG; not a standard symbology, a stand-in). */
export function barcodePng(value: string): Buffer {
  const bits = [...Buffer.from(value)].flatMap((byte) => [...byte.toString(2).padStart(8, '0')].map((b) => b === '1'));
  const png = canvas(bits.length * 3 + 20, 80, [255, 255, 255]);
  fill(png, (x, y) => y >= 10 && y < 70 && x >= 10 && bits[Math.floor((x - 10) / 3)] === true, [0, 0, 0]);
  return PNG.sync.write(png);
}

/** Whether bytes are a JPEG or a PNG, by their signature. */
export function imageTypeOf(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 8 && Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return undefined;
}
