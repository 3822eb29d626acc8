/**
 * `npm run bench:cms`: verification throughput of the CMS core against the irreducible work, on inputs made
 * by OpenSSL with 100 distinct signer certificates (RSA-2048) under one CA:
 *   (a) 1 signer over 32 KB, (b) a 3-deep nested chain over 32 KB, (c) 1 signer over 5 MB;
 * and (d) a GOST 34.10-2015 (512) signature made by Kalkan, with its chain (see cms-gost.ts; skipped with a
 * line saying so when NCA's vectors are not beside the repository).
 * Kezek runs the full verification with the CA as trust anchor (digest, signature, validity, keyUsage, chain,
 * identity). The baseline, on the same inputs, does only node:crypto SHA-256 of the content each signature
 * covers plus the RSA verify of each signature, with the content offsets found and the keys imported before
 * timing. Both are timed in alternating rounds so that the machine's other load hits both alike; rates are
 * medians over rounds, ratios the median of the per-round ratios. Peak memory for (c) is measured in a child
 * process (peak resident set over the resident set before reading the file). The last line is
 * `ratio=<kezek/baseline for (b)>`.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPair, verify, type KeyObject } from 'node:crypto';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { configureKeyReuse, readCertificates, verifyCmsSync, type ParsedCertificate } from '../src/cms/index.js';
import { readNestedCms, type ContentRef } from '../src/cms/signed-data.js';
import { OPENSSL, OpensslWorkspace, pseudoPdf, type TestSigner } from '../src/cms/testing/openssl-vectors.js';
import { gostBenchInputs } from './cms-gost.js';

const SIGNERS = Number(process.env.BENCH_SIGNERS ?? 100);
const LARGE_FILES = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const out = (line = '') => process.stdout.write(`${line}\n`);

interface BaselineSignature {
  /** Null: the content's digest is not computed (the stricter "document only" baseline for nesting). */
  content: ContentRef | null;
  messageDigest: Buffer;
  signedAttrs: Buffer;
  signature: Buffer;
  key: KeyObject;
}

/** The irreducible work for one CMS: hash each signed content, compare, RSA-verify each signature. */
function baselineWork(signatures: BaselineSignature[]): void {
  for (const s of signatures) {
    if (s.content) {
      const h = createHash('sha256');
      for (const segment of s.content.segments) h.update(segment);
      if (!h.digest().equals(s.messageDigest)) throw new Error('baseline: digest mismatch');
    }
    if (!verify('sha256', s.signedAttrs, s.key, s.signature)) throw new Error('baseline: signature invalid');
  }
}

function baselineInputs(cms: Buffer, keys: Map<string, KeyObject>, documentOnly = false): BaselineSignature[] {
  const parsed = readNestedCms(cms, undefined);
  const innermost = parsed.layers[parsed.layers.length - 1];
  return parsed.layers.flatMap((layer) =>
    layer.signerInfos.map((signer) => {
      const cert = readCertificates(Buffer.from(layer.certificates[0]))[0];
      return {
        content: documentOnly && layer !== innermost ? null : layer.content!,
        messageDigest: Buffer.from(signer.signedAttrs!.messageDigest!),
        signedAttrs: signer.signedAttrs!.signedBytes,
        signature: Buffer.from(signer.signature),
        key: keys.get(cert.sha256)!,
      };
    }),
  );
}

interface CaseResult {
  kezek: number;
  baseline: number;
  ratio: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Alternating rounds of `ops` verifications each; rates in verifications per second. */
function measure(inputs: Buffer[], anchors: ParsedCertificate[], baseline: BaselineSignature[][], ops: number): CaseResult {
  const runKezek = (i: number) => {
    const report = verifyCmsSync(inputs[i % inputs.length], { trustAnchors: anchors });
    if (report.indication !== 'TOTAL_PASSED') throw new Error(`kezek: ${report.message}`);
  };
  return measureRuns(inputs.length, runKezek, (i: number) => baselineWork(baseline[i % baseline.length]), ops);
}

function measureRuns(inputCount: number, runKezek: (i: number) => void, runBaseline: (i: number) => void, ops: number, rounds = ROUNDS): CaseResult {
  const kezekRates: number[] = [];
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  // Warm-up (JIT, caches): every input through each path, for at least a second.
  const warmUntil = Date.now() + 1000;
  for (let i = 0; i < inputCount || Date.now() < warmUntil; i++) {
    runKezek(i);
    runBaseline(i);
  }
  for (let round = 0; round < rounds; round++) {
    let start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) runKezek(i);
    const kezek = ops / (Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) runBaseline(i);
    const base = ops / (Number(process.hrtime.bigint() - start) / 1e9);
    kezekRates.push(kezek);
    baselineRates.push(base);
    ratios.push(kezek / base);
  }
  return { kezek: median(kezekRates), baseline: median(baselineRates), ratio: median(ratios) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const started = Date.now();
  const ws = new OpensslWorkspace();
  try {
    const opensslVersion = execFileSync(OPENSSL, ['version']).toString().trim();
    out(`Kezek CMS verification benchmark: node ${process.version}, ${cpus().length} CPUs, ${opensslVersion}`);

    // 100 signers: keys generated in parallel by node (key generation only), certified by OpenSSL.
    const ca = ws.createCa('ca', 'Kezek Bench CA');
    const generate = promisify(generateKeyPair);
    const keyPems = await Promise.all(
      Array.from({ length: SIGNERS }, () =>
        generate('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).then((k) => k.privateKey),
      ),
    );
    const signers: TestSigner[] = keyPems.map((keyPem, i) =>
      ws.issue(ca, `s${i}`, { commonName: `SIGNER ${i}`, surname: 'SIGNER', iin: '900101300017', organization: 'Bench' }, { keyPem }),
    );
    const keys = new Map<string, KeyObject>();
    for (const s of signers) keys.set(readCertificates(s.certPem)[0].sha256, createPublicKey(s.certPem));
    const anchors = readCertificates(ca.certPem);

    // (a) one signer over a distinct 32 KB document each; (b) two more signers nest over (a).
    const small: Buffer[] = [];
    const nested: Buffer[] = [];
    for (let i = 0; i < SIGNERS; i++) {
      const doc = ws.write(`doc${i}.pdf`, pseudoPdf(32 * 1024));
      small.push(ws.sign(doc, ws.path(`a${i}.p7s`), [signers[i]]));
      ws.sign(ws.path(`a${i}.p7s`), ws.path(`b${i}-2.p7s`), [signers[(i + 1) % SIGNERS]]);
      nested.push(ws.sign(ws.path(`b${i}-2.p7s`), ws.path(`b${i}.p7s`), [signers[(i + 2) % SIGNERS]]));
    }
    // (c) one signer over a 5 MB document.
    const bigDoc = ws.write('big.pdf', pseudoPdf(5 * 1024 * 1024));
    const large: Buffer[] = [];
    for (let i = 0; i < LARGE_FILES; i++) large.push(ws.sign(bigDoc, ws.path(`c${i}.p7s`), [signers[(i * 7) % SIGNERS]]));
    out(`Inputs by OpenSSL (cms -sign -binary -nodetach -md sha256): ${SIGNERS} signer certificates (RSA-2048) under one CA, made in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    out(`(a) ${SIGNERS} CMS of ${fmt(small[0].length)} bytes; (b) ${SIGNERS} 3-deep chains of ${fmt(nested[0].length)} bytes; (c) ${LARGE_FILES} CMS of ${fmt(large[0].length)} bytes (signers ${SIGNERS} cycled in (a), (b); ${LARGE_FILES} in (c)).`);
    out('Kezek: verifyCms with the CA as trust anchor (digest, signature, validity, keyUsage, chain, identity, report).');
    out('Baseline: node:crypto SHA-256 of the content each signature covers + RSA verify of each signature; offsets found and keys imported before timing.');
    out();

    const cases: [string, Buffer[], number][] = [
      ['(a) 1 signer, 32 KB', small, 200],
      ['(b) 3-deep nested, 32 KB', nested, 100],
      ['(c) 1 signer, 5 MB', large, 10],
    ];
    const results: Record<string, CaseResult> = {};
    for (const [name, inputs, ops] of cases) {
      const baseline = inputs.map((cms) => baselineInputs(cms, keys));
      const r = measure(inputs, anchors, baseline, ops);
      results[name] = r;
      out(`${name.padEnd(26)} kezek ${fmt(r.kezek).padStart(7)} verifications/s   baseline ${fmt(r.baseline).padStart(7)}/s   kezek/baseline ${r.ratio.toFixed(2)}`);
    }

    // A stricter baseline for nesting: the document hashed once, the CMS layers above it not at all.
    const strictB = measure(nested, anchors, nested.map((cms) => baselineInputs(cms, keys, true)), 100);
    out(`(b) against a stricter baseline (SHA-256 of the 32 KB document only + 3 RSA verifies): baseline ${fmt(strictB.baseline)}/s, kezek/baseline ${strictB.ratio.toFixed(2)}`);

    // Without reusing imported public keys: every key imported on every call.
    configureKeyReuse({ maxEntries: 0 });
    const coldA = measure(small, anchors, small.map((cms) => baselineInputs(cms, keys)), 200);
    const coldB = measure(nested, anchors, nested.map((cms) => baselineInputs(cms, keys)), 100);
    configureKeyReuse({ maxEntries: 1024 });
    out(`without key reuse (each public key imported per call): (a) kezek ${fmt(coldA.kezek)}/s, ratio ${coldA.ratio.toFixed(2)}; (b) kezek ${fmt(coldB.kezek)}/s, ratio ${coldB.ratio.toFixed(2)}`);

    // (d) GOST: Kalkan's 34.10-2015 (512) signature, its chain to NCA's GOST test CA.
    const gost = gostBenchInputs();
    let gostOk = true;
    if (typeof gost === 'string') {
      out(`(d) GOST 34.10-2015 (512): NOT RUN: ${gost}`);
    } else {
      const runKezek = () => {
        const report = verifyCmsSync(gost.cms, { trustAnchors: gost.anchors });
        if (report.indication !== 'TOTAL_PASSED') throw new Error(`kezek (GOST): ${report.message}`);
      };
      const g = measureRuns(1, runKezek, gost.baseline, 5);
      gostOk = g.ratio >= 0.25;
      out(`${'(d) GOST 512, signer+chain'.padEnd(26)} kezek ${fmt(g.kezek).padStart(7)} verifications/s   baseline ${fmt(g.baseline).padStart(7)}/s   kezek/baseline ${g.ratio.toFixed(2)}`);
      out(
        `(d) is Kalkan's GOST 34.10-2015 (512) signer (Streebog-512) with NCA's GOST test CA as anchor: 2 GOST signature checks per verification (signer, CA on its certificate), i.e. kezek ${fmt(2 * g.kezek)} GOST signature checks/s; baseline: Streebog + GOST verify calls alone`,
      );
    }

    // Peak memory for (c), in fresh processes.
    const here = dirname(fileURLToPath(import.meta.url));
    const probe = (mode: string) =>
      JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(here, 'cms-memory.js'), mode, ws.path('c0.p7s'), ca.certPath]).toString()) as { peakBytes: number; fileBytes: number };
    const kezekMemory = probe('kezek');
    const baselineMemory = probe('baseline');
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    out(
      `peak memory (c): kezek +${mb(kezekMemory.peakBytes)} MB for a ${mb(kezekMemory.fileBytes)} MB file (${(kezekMemory.peakBytes / kezekMemory.fileBytes).toFixed(2)}x file size, limit 3x); baseline +${mb(baselineMemory.peakBytes)} MB`,
    );
    const a = results['(a) 1 signer, 32 KB'];
    const b = results['(b) 3-deep nested, 32 KB'];
    const ok = a.ratio >= 0.25 && b.ratio >= 0.25 && gostOk && kezekMemory.peakBytes < 3 * kezekMemory.fileBytes;
    out(`acceptance (ratio >= 0.25 for (a), (b) and (d), peak (c) < 3x file): ${ok ? 'met' : 'NOT met'}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    out(`ratio=${b.ratio.toFixed(2)}`);
  } finally {
    ws.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
