import { zipSync, type Zippable } from 'fflate';
import { safeUnzip, UnsafeArchiveError, unsafePathReason, type UnsafeArchiveReason } from './safe-unzip.js';

const text = (s: string) => new TextEncoder().encode(s);

function refusal(zip: Uint8Array, limits = {}): { reason: UnsafeArchiveReason; message: string } {
  try {
    safeUnzip(zip, limits);
  } catch (error) {
    if (error instanceof UnsafeArchiveError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('the archive was accepted');
}

/** Offsets of the central directory entries (signature PK\x01\x02). */
function centralEntries(zip: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x01 && zip[i + 3] === 0x02) found.push(i);
  return found;
}

describe('safeUnzip', () => {
  it('unpacks stored and deflated entries, UTF-8 names included, and leaves directories out', () => {
    const zip = zipSync({ 'a.pdf': [text('%PDF-1.7 stored'), { level: 0 }], 'Шарт №17.pdf': text('%PDF-1.7 '.repeat(100)), 'dir/': new Uint8Array(0), 'dir/b.xml': text('<a/>') });
    const entries = safeUnzip(zip);
    expect(entries.map((e) => e.name).sort()).toEqual(['a.pdf', 'dir/b.xml', 'Шарт №17.pdf'].sort());
    expect(new TextDecoder().decode(entries.find((e) => e.name === 'Шарт №17.pdf')!.bytes)).toBe('%PDF-1.7 '.repeat(100));
  });

  it.each([
    ['../evil.pdf', 'UNSAFE_PATH'],
    ['a/../../evil.pdf', 'UNSAFE_PATH'],
    ['/etc/passwd', 'UNSAFE_PATH'],
    ['C:/evil.pdf', 'UNSAFE_PATH'],
    ['a\\..\\evil.pdf', 'UNSAFE_PATH'],
    ['a/./b.pdf', 'UNSAFE_PATH'],
    ['a\u0000.pdf', 'UNSAFE_PATH'],
  ])('refuses the entry name %j', (name, reason) => {
    expect(refusal(zipSync({ [name]: text('x') })).reason).toBe(reason);
  });

  it('refuses symbolic links and other special files', () => {
    const link = zipSync({ 'link.pdf': [text('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    expect(refusal(link).reason).toBe('LINK');
    const fifo = zipSync({ 'fifo': [text(''), { os: 3, attrs: (0o010644 << 16) >>> 0 }] });
    expect(refusal(fifo).reason).toBe('LINK');
    // A regular Unix file is fine.
    expect(safeUnzip(zipSync({ 'ok.pdf': [text('x'), { os: 3, attrs: (0o100644 << 16) >>> 0 }] }))).toHaveLength(1);
  });

  it('caps the entry count, the total size and the ratio', () => {
    const many: Zippable = {};
    for (let i = 0; i < 5; i++) many[`f${i}.pdf`] = text(`file ${i}`);
    expect(refusal(zipSync(many), { maxEntries: 4 }).reason).toBe('TOO_MANY_ENTRIES');
    expect(refusal(zipSync({ 'a.pdf': new Uint8Array(2000), 'b.pdf': new Uint8Array(2000) }), { maxTotalBytes: 3000 }).reason).toBe('TOO_LARGE');
    const bomb = zipSync({ 'zeros.pdf': new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    expect(refusal(bomb).reason).toBe('RATIO');
    // Small files may compress well without being refused.
    expect(safeUnzip(zipSync({ 'small.pdf': new Uint8Array(100_000) }))).toHaveLength(1);
  });

  it('stops inflating at the declared size when a header lies about it', () => {
    const zip = zipSync({ 'a.pdf': new Uint8Array(50_000) });
    const [central] = centralEntries(zip);
    new DataView(zip.buffer).setUint32(central + 24, 1000, true); // declared uncompressed size
    expect(refusal(zip).reason).toBe('TOO_LARGE');
  });

  it('refuses overlapping entries, duplicate names, encryption, CRC mismatches and non-zip bytes', () => {
    const two = zipSync({ 'a.pdf': [text('aaaa'), { level: 0 }], 'b.pdf': [text('bbbb'), { level: 0 }] });
    const [, second] = centralEntries(two);
    const overlapping = two.slice();
    new DataView(overlapping.buffer).setUint32(second + 42, 0, true); // b's local header offset → a's
    expect(refusal(overlapping).reason).toBe('CORRUPT');

    expect(refusal(zipSync({ 'A.pdf': text('1'), 'a.pdf': text('2') })).reason).toBe('DUPLICATE');

    const encrypted = zipSync({ 'a.pdf': text('x') });
    const [central] = centralEntries(encrypted);
    new DataView(encrypted.buffer).setUint16(central + 8, 1, true);
    expect(refusal(encrypted).reason).toBe('UNSUPPORTED');

    const damaged = zipSync({ 'a.pdf': [text('hello world'), { level: 0 }] });
    damaged[35] ^= 0xff; // inside the stored data
    expect(refusal(damaged).message).toMatch(/CRC-32/);

    expect(refusal(text('%PDF-1.7 not a zip at all')).reason).toBe('NOT_A_ZIP');
  });

  it('tells what is wrong with a path', () => {
    expect(unsafePathReason('documents/1-contract.pdf')).toBeUndefined();
    expect(unsafePathReason('../x')).toMatch(/outside/);
  });
});
