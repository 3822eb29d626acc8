import fc from 'fast-check';

/**
 * One seed and a run count for every fuzz test: `npm test` runs a short, repeatable pass (FUZZ_RUNS unset);
 * `npm run fuzz` runs many more inputs. A failure prints the seed and path that reproduce it.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261130);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 0) || undefined;

export function fuzzOptions(defaultRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: FUZZ_RUNS ?? defaultRuns, endOnFailure: true };
}

/** A valid sample mutated: bytes flipped, a slice cut out, random bytes spliced in, or cut short. */
export function mutated(samples: readonly Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 }), fc.uint8Array({ maxLength: 64 }))
    .map(([sample, edits, splice]) => {
      let bytes = Buffer.from(sample);
      for (const [position, value, kind] of edits) {
        const at = bytes.length ? position % bytes.length : 0;
        if (kind === 0) bytes[at] = value;
        else if (kind === 1) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + (value % 64)))]);
        else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(splice), bytes.subarray(at)]);
        else bytes = bytes.subarray(0, at);
      }
      return bytes;
    });
}

/** Random bytes, or a valid sample mutated. */
export function hostileBytes(samples: readonly Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc.oneof({ arbitrary: fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)), weight: 1 }, { arbitrary: mutated(samples), weight: 3 });
}

/** Runs `check` on one input and returns how long it took, so a test can bound the worst input. */
export function timed<T>(check: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = check();
  return { value, ms: performance.now() - started };
}
