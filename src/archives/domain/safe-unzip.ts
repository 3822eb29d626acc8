import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Unpacks a zip archive that comes from outside (the provider's archive, an evidence pack handed to
 * `kezek verify-evidence`) without trusting anything it says about itself:
 *
 * - the entry count, each entry's size, the total uncompressed size and each entry's compression ratio are
 *   capped, first on the declared sizes and then on what inflating actually produces (a header that lies
 *   is caught: inflation stops at the declared size);
 * - names must be plain relative paths: no absolute paths, drive letters, backslashes, `.` or `..`
 *   segments, control characters, or two entries with the same name (compared case-insensitively);
 * - symbolic links and other special files, encrypted entries, ZIP64 and methods other than stored and
 *   deflate are refused, as are entries whose data overlap (the "overlapping files" zip bomb);
 * - every entry's CRC-32 must match.
 *
 * Nothing is written to disk: entries are returned as bytes, directories are left out.
 */
export interface UnzipLimits {
  maxEntries: number;
  /** Sum of the uncompressed sizes of all entries. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of one entry... */
  maxRatio: number;
  /** ...for entries larger than this (small files legitimately compress very well). */
  ratioFloorBytes: number;
}

export const DEFAULT_UNZIP_LIMITS: UnzipLimits = {
  maxEntries: 256,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export type UnsafeArchiveReason = 'NOT_A_ZIP' | 'CORRUPT' | 'TOO_MANY_ENTRIES' | 'TOO_LARGE' | 'RATIO' | 'UNSAFE_PATH' | 'LINK' | 'DUPLICATE' | 'UNSUPPORTED';

export class UnsafeArchiveError extends Error {
  constructor(
    readonly reason: UnsafeArchiveReason,
    message: string,
    /** The entry at fault, when there is one. */
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'UnsafeArchiveError';
  }
}

export interface UnzippedEntry {
  /** The path inside the archive, `/`-separated. */
  name: string;
  bytes: Uint8Array;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_NAME_BYTES = 1024;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

interface CentralEntry {
  name: string;
  isDirectory: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEndOfCentralDirectory(view: DataView): number {
  const length = view.byteLength;
  if (length < EOCD_SIZE) throw new UnsafeArchiveError('NOT_A_ZIP', 'not a zip archive: too short');
  const lowest = Math.max(0, length - EOCD_SIZE - 0xffff);
  for (let at = length - EOCD_SIZE; at >= lowest; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + view.getUint16(at + 20, true) === length) return at;
  }
  throw new UnsafeArchiveError('NOT_A_ZIP', 'not a zip archive: no end of central directory');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  try {
    return utf8.decode(raw);
  } catch {
    if (utf8Flag) throw new UnsafeArchiveError('UNSAFE_PATH', 'an entry name is not valid UTF-8');
    return Buffer.from(raw).toString('latin1');
  }
}

/** Why a name is not a plain relative path, or undefined when it is one. */
export function unsafePathReason(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'a control character in the name';
  if (name.includes('\\')) return 'a backslash in the name';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment (a path outside the archive)';
  if (segments.some((s) => s === '.' || s === '')) return 'an empty or "." segment';
  return undefined;
}

function readCentralDirectory(bytes: Uint8Array, limits: UnzipLimits): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    throw new UnsafeArchiveError('UNSUPPORTED', 'ZIP64 archives are not accepted');
  }
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw new UnsafeArchiveError('UNSUPPORTED', 'multi-volume archives are not accepted');
  }
  const count = view.getUint16(eocd + 10, true);
  if (count !== view.getUint16(eocd + 8, true)) throw new UnsafeArchiveError('CORRUPT', 'the entry counts of the archive disagree');
  if (count > limits.maxEntries) throw new UnsafeArchiveError('TOO_MANY_ENTRIES', `${count} entries; at most ${limits.maxEntries} are accepted`);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (directoryOffset + directorySize > eocd) throw new UnsafeArchiveError('CORRUPT', 'the central directory lies outside the archive');

  const entries: CentralEntry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directoryOffset + directorySize || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new UnsafeArchiveError('CORRUPT', `central directory entry ${i + 1} is damaged`);
    }
    const madeBy = view.getUint16(at + 4, true);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const externalAttributes = view.getUint32(at + 38, true);
    const localOffset = view.getUint32(at + 42, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > directoryOffset + directorySize) throw new UnsafeArchiveError('CORRUPT', `central directory entry ${i + 1} is damaged`);
    if (nameLength > MAX_NAME_BYTES) throw new UnsafeArchiveError('UNSAFE_PATH', `entry ${i + 1}: the name is longer than ${MAX_NAME_BYTES} bytes`);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x0800) !== 0);
    at = next;

    const pathProblem = unsafePathReason(name);
    if (pathProblem) throw new UnsafeArchiveError('UNSAFE_PATH', `entry "${name}": ${pathProblem}`, name);
    const isDirectory = name.endsWith('/');
    if (madeBy >>> 8 === UNIX_HOST) {
      const type = (externalAttributes >>> 16) & S_IFMT;
      if (type === S_IFLNK) throw new UnsafeArchiveError('LINK', `entry "${name}" is a symbolic link`, name);
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw new UnsafeArchiveError('LINK', `entry "${name}" is a special file`, name);
    }
    if (flags & 0x0001) throw new UnsafeArchiveError('UNSUPPORTED', `entry "${name}" is encrypted`, name);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      throw new UnsafeArchiveError('UNSUPPORTED', `entry "${name}" uses ZIP64 sizes`, name);
    }
    if (method !== 0 && method !== 8) throw new UnsafeArchiveError('UNSUPPORTED', `entry "${name}": compression method ${method} is not accepted`, name);
    if (isDirectory && size !== 0) throw new UnsafeArchiveError('CORRUPT', `directory entry "${name}" has content`, name);

    const key = name.normalize('NFC').toLowerCase().replace(/\/$/, '');
    if (seen.has(key)) throw new UnsafeArchiveError('DUPLICATE', `two entries are named "${name}"`, name);
    seen.add(key);

    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) throw new UnsafeArchiveError('TOO_LARGE', `the entries unpack to more than ${limits.maxTotalBytes} bytes`, name);
    if (size > limits.ratioFloorBytes && size / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw new UnsafeArchiveError('RATIO', `entry "${name}" would expand ${Math.round(size / Math.max(compressedSize, 1))} times; at most ${limits.maxRatio} is accepted`, name);
    }
    if (method === 0 && compressedSize !== size) throw new UnsafeArchiveError('CORRUPT', `stored entry "${name}" has two different sizes`, name);
    entries.push({ name, isDirectory, method, crc, compressedSize, size, localOffset });
  }
  return entries;
}

/** Where each entry's data lies, checked to be inside the archive and not shared with another entry. */
function dataRanges(bytes: Uint8Array, entries: CentralEntry[], directoryStart: number): Map<CentralEntry, [number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ranges = new Map<CentralEntry, [number, number]>();
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > directoryStart || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
      throw new UnsafeArchiveError('CORRUPT', `entry "${entry.name}": no local header where the directory says`, entry.name);
    }
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > directoryStart) throw new UnsafeArchiveError('CORRUPT', `entry "${entry.name}": its data run past the archive`, entry.name);
    ranges.set(entry, [at, end]);
  }
  const sorted = [...ranges.entries()].sort((a, b) => a[1][0] - b[1][0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][1][0] < sorted[i - 1][1][1]) {
      throw new UnsafeArchiveError('CORRUPT', `entries "${sorted[i - 1][0].name}" and "${sorted[i][0].name}" overlap`, sorted[i][0].name);
    }
  }
  return ranges;
}

function directoryStartOf(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(findEndOfCentralDirectory(view) + 16, true);
}

export function safeUnzip(zip: Uint8Array, limits: Partial<UnzipLimits> = {}): UnzippedEntry[] {
  const applied = { ...DEFAULT_UNZIP_LIMITS, ...limits };
  const entries = readCentralDirectory(zip, applied);
  const ranges = dataRanges(zip, entries, directoryStartOf(zip));
  const out: UnzippedEntry[] = [];
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    const [header, end] = ranges.get(entry)!;
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const start = end - entry.compressedSize;
    if (view.getUint16(header + 8, true) !== entry.method) throw new UnsafeArchiveError('CORRUPT', `entry "${entry.name}": local and central headers disagree`, entry.name);
    const data = zip.subarray(start, end);
    let bytes: Uint8Array;
    if (entry.method === 0) {
      bytes = data;
    } else {
      try {
        // maxOutputLength stops a lying header from inflating past the declared (and capped) size.
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
        throw new UnsafeArchiveError(tooLarge ? 'TOO_LARGE' : 'CORRUPT', `entry "${entry.name}": ${tooLarge ? 'inflates past its declared size' : 'its data do not inflate'}`, entry.name);
      }
      if (bytes.length !== entry.size) throw new UnsafeArchiveError('CORRUPT', `entry "${entry.name}": inflates to ${bytes.length} bytes, not the declared ${entry.size}`, entry.name);
    }
    if (crc32(bytes) >>> 0 !== entry.crc) throw new UnsafeArchiveError('CORRUPT', `entry "${entry.name}": CRC-32 mismatch`, entry.name);
    out.push({ name: entry.name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }
  return out;
}
