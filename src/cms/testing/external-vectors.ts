import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Test vectors made outside the project (Kalkan's signatures, NCA's test CA certificates) live beside the
 * repository in `../shared/vectors/`, not in it: they are read from there at run time. Where that folder is
 * absent, the tests that need it are skipped with a line saying so.
 */
export const EXTERNAL_VECTORS_DIR = resolve(process.cwd(), '..', 'shared', 'vectors');

export function externalVectorPath(...parts: string[]): string {
  return join(EXTERNAL_VECTORS_DIR, ...parts);
}

export function readExternalVector(...parts: string[]): Buffer {
  return readFileSync(externalVectorPath(...parts));
}

/**
 * The files among `files` that are not there; when some are missing, prints that the tests named `name`
 * did not run (the caller then registers them with describe.skip).
 */
export function missingExternalVectors(name: string, files: string[][]): string[] {
  const missing = files.filter((parts) => !existsSync(externalVectorPath(...parts))).map((parts) => parts.join('/'));
  if (missing.length) process.stderr.write(`\n[kezek tests] NOT RUN: "${name}": ${missing.join(', ')} not found under ${EXTERNAL_VECTORS_DIR}\n`);
  return missing;
}
