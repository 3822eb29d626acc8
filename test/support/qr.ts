import * as jsqrModule from 'jsqr';
import { PNG } from 'pngjs';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
/** jsqr is CommonJS with a `default` export: unwrap it whichever way the loader hands it over. */
const jsQR = ((m: { default?: unknown }) => (typeof m.default === 'function' ? m.default : (m.default as { default: unknown }).default))(jsqrModule as { default?: unknown }) as JsQr;

/** The text of the QR code in a PNG image (a rendered PDF page), or null when there is none. */
export function readQrCode(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null;
}

/** Share of pixels that are not (near) white: a blank page renders to ~0. */
export function inkRatio(png: Buffer): number {
  const image = PNG.sync.read(png);
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i] < 200 || image.data[i + 1] < 200 || image.data[i + 2] < 200) ink++;
  return ink / (image.width * image.height);
}
