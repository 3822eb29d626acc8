import { PNG } from 'pngjs';
import { sha256 } from '../../../common/crypto/sha256.js';

/**
 * Pictures the sandbox answers with: a face photo (a drawn face whose colours come from the IIN, so the same
 * person always has the same face), a document image and a barcode. Real PNG files, small and deterministic.
 */

type Rgb = [number, number, number];

function canvas(width: number, height: number, background: Rgb): PNG {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height * 4; i += 4) {
    png.data[i] = background[0];
    png.data[i + 1] = background[1];
    png.data[i + 2] = background[2];
    png.data[i + 3] = 255;
  }
  return png;
}

/** Paints the pixels inside `box` ([x0, y0, x1, y1], default the whole image) for which `test` holds. */
function fill(png: PNG, test: (x: number, y: number) => boolean, color: Rgb, box: [number, number, number, number] = [0, 0, png.width, png.height]): void {
  const [x0, y0, x1, y1] = [Math.max(0, Math.floor(box[0])), Math.max(0, Math.floor(box[1])), Math.min(png.width, Math.ceil(box[2])), Math.min(png.height, Math.ceil(box[3]))];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (!test(x, y)) continue;
      const i = (y * png.width + x) * 4;
      png.data[i] = color[0];
      png.data[i + 1] = color[1];
      png.data[i + 2] = color[2];
    }
  }
}

function palette(seed: string): Rgb[] {
  const h = sha256(seed);
  return [0, 3, 6, 9].map((i) => [h[i]!, h[i + 1]!, h[i + 2]!] as Rgb);
}

function drawFace(png: PNG, cx: number, cy: number, r: number, seed: string): void {
  const [skinSeed, hair] = palette(seed) as [Rgb, Rgb];
  const skin: Rgb = [200 + (skinSeed[0] % 40), 150 + (skinSeed[1] % 50), 110 + (skinSeed[2] % 50)];
  const dark: Rgb = [hair[0] % 90, hair[1] % 70, hair[2] % 60];
  const head: [number, number, number, number] = [cx - r, cy - r * 1.1, cx + r, cy + r];
  fill(png, (x, y) => (x - cx) ** 2 / (r * 0.8) ** 2 + (y - cy) ** 2 / r ** 2 <= 1, skin, head);
  fill(png, (x, y) => y < cy - r * 0.55 && (x - cx) ** 2 / (r * 0.85) ** 2 + (y - cy) ** 2 / (r * 1.05) ** 2 <= 1, dark, head);
  for (const side of [-1, 1]) fill(png, (x, y) => (x - (cx + side * r * 0.3)) ** 2 + (y - (cy - r * 0.1)) ** 2 <= (r * 0.09) ** 2, [30, 30, 40], head);
  fill(png, (x, y) => Math.abs(y - (cy + r * 0.45)) < r * 0.04 && Math.abs(x - cx) < r * 0.3, [150, 60, 60], head);
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
  const always = () => true;
  fill(png, always, [band[0] % 120, 80 + (band[1] % 100), 120 + (band[2] % 120)], [0, 0, 640, 60]);
  fill(png, always, [228, 232, 240], [30, 90, 210, 320]);
  drawFace(png, 120, 205, 80, iin);
  for (let line = 0; line < 6; line++) fill(png, always, [150, 156, 170], [240, 100 + line * 40, 600 - line * 30, 112 + line * 40]);
  return PNG.sync.write(png);
}

/** A barcode of the document number: bars from its digits (PNG; not a standard symbology, a stand-in). */
export function barcodePng(value: string): Buffer {
  const bits = [...Buffer.from(value)].flatMap((byte) => [...byte.toString(2).padStart(8, '0')].map((b) => b === '1'));
  const png = canvas(bits.length * 3 + 20, 80, [255, 255, 255]);
  fill(png, (x) => bits[Math.floor((x - 10) / 3)] === true, [0, 0, 0], [10, 10, png.width - 10, 70]);
  return PNG.sync.write(png);
}

/** Whether bytes are a JPEG or a PNG, by their signature. */
export function imageTypeOf(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length > 8 && Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return undefined;
}
