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

export function hasExternalVectors(...files: string[][]): boolean {
  return files.every((parts) => existsSync(externalVectorPath(...parts)));
}

export function readExternalVector(...parts: string[]): Buffer {
  return readFileSync(externalVectorPath(...parts));
}

/** `describe` when the vectors are there; otherwise a notice that these tests did not run, and a skip. */
export function describeWithExternalVectors(files: string[][], name: string, body: () => void): void {
  if (hasExternalVectors(...files)) {
    describe(name, body);
    return;
  }
  const missing = files.filter((parts) => !existsSync(externalVectorPath(...parts))).map((parts) => parts.join('/'));
  process.stderr.write(`\n[kezek tests] NOT RUN: "${name}": ${missing.join(', ')} not found under ${EXTERNAL_VECTORS_DIR}\n`);
  describe.skip(name, body);
}
