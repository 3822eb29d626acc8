import { readFile, stat } from 'node:fs/promises';
import { CmsCertificateError, readCertificates, type ParsedCertificate } from '../cms/index.js';
import { EXIT_USAGE } from './exit-codes.js';

/** Where a command writes: the terminal, or a test's buffers. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Wrong usage (a missing or unreadable file, a bad trust file): exit 64 with the message. */
export class UsageError extends Error {}

/** Reads a file the user named; null when it is larger than `maxBytes` (not read into memory). */
export async function readUserFile(path: string, what: string, maxBytes: number): Promise<Buffer | null> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${what} ${path} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return size > maxBytes ? null : readFile(path);
}

/** The certificates of every `--trust` (or `--seal`) file. */
export async function readTrustAnchors(paths: string[] = [], option = '--trust'): Promise<ParsedCertificate[]> {
  const anchors: ParsedCertificate[] = [];
  const what = option === '--trust' ? 'trust file' : `${option} file`;
  for (const path of paths) {
    const bytes = await readUserFile(path, what, 1024 * 1024);
    if (!bytes) throw new UsageError(`${what} ${path} is too large`);
    anchors.push(...readCertificates(bytes, `${what} ${path}`));
  }
  return anchors;
}

/** Runs a command's work; wrong usage becomes exit 64 with `<command>: <message>` on stderr. */
export async function withUsageErrors(command: string, io: CommandIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError || error instanceof CmsCertificateError) {
      io.err(`kezek ${command}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** Commander option collector for repeatable options (`--trust a.pem --trust b.pem`). */
export const collect = (value: string, previous: string[]) => [...previous, value];
