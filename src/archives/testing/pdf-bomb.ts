import { constants, deflateRawSync, deflateSync } from 'node:zlib';

const CHUNK = 1024 * 1024;

/**
 * A zlib stream that inflates to `size` zero bytes (a multiple of 1 MiB), built without ever holding or
 * compressing `size` bytes: one MiB of zeros is deflated once and closed with a full flush, so the block is
 * byte-aligned and refers to nothing before it; repeating it gives a valid stream of any length.
 */
export function zerosStream(size: number): Buffer {
  const chunks = Math.ceil(size / CHUNK);
  const block = deflateRawSync(Buffer.alloc(CHUNK), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const header = Buffer.from([0x78, 0xda]);
  const finalBlock = Buffer.from([0x03, 0x00]); // an empty final block with fixed codes
  // Adler-32 of n zero bytes: a = 1, b = n mod 65521.
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((((chunks * CHUNK) % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([header, ...Array.from({ length: chunks }, () => block), finalBlock, adler]);
}

/**
 * A small PDF whose only object stream, filtered `[/FlateDecode /FlateDecode]`, decodes to `size` bytes;
 * its trailer names an Info dictionary inside that stream, so a reader that looks for it must decode it.
 */
export function pdfBomb(size = 512 * 1024 * 1024): Buffer {
  const twice = deflateSync(zerosStream(size), { level: 9 });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(buffer);
    length += buffer.length;
  };
  const object = (n: number, body: string | Buffer[]) => {
    offsets[n] = length;
    if (typeof body === 'string') push(`${n} 0 obj\n${body}\nendobj\n`);
    else {
      push(`${n} 0 obj\n`);
      body.forEach(push);
      push('\nendobj\n');
    }
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [] /Count 0 >>');
  object(4, [Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] /Length ${twice.length} >>\nstream\n`, 'latin1'), twice, Buffer.from('\nendstream', 'latin1')]);
  const xref = length;
  const entry = (n: number) => (offsets[n] === undefined ? '0000000000 65535 f \n' : `${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  push(`xref\n0 5\n${[0, 1, 2, 3, 4].map(entry).join('')}trailer\n<< /Size 5 /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
