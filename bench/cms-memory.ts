/**
 * Peak memory of verifying one large CMS file, in a fresh process (run by cms.bench.ts with --expose-gc):
 * `node cms-memory.js kezek|baseline <file.p7s> <ca.pem>`. Prints {"peakBytes", "fileBytes"}: the highest
 * resident set size reached while reading the file and verifying it 3 times, over the resident set size
 * just before (after loading the code and a warm-up verification).
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readCertificates, verifyCmsSync } from '../src/cms/index.js';
import { readNestedCms } from '../src/cms/signed-data.js';

/**
 * The process's peak resident set size. On Linux VmHWM of this process image: getrusage's maxRSS would
 * carry over the parent's peak across fork and exec.
 */
function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const [mode, file, caFile] = process.argv.slice(2);
const anchors = readCertificates(readFileSync(caFile));
const gc = (globalThis as { gc?: () => void }).gc;

// Warm-up on a small structure, so the code is loaded and compiled before the baseline RSS is taken.
verifyCmsSync(Buffer.from('3000', 'hex'));
gc?.();
const before = process.memoryUsage().rss;

const cms = readFileSync(file);
for (let i = 0; i < 3; i++) {
  if (mode === 'kezek') {
    const report = verifyCmsSync(cms, { trustAnchors: anchors });
    if (report.indication !== 'TOTAL_PASSED') throw new Error(report.message);
  } else {
    // The same irreducible work as the throughput baseline (offsets located by the same zero-copy reader).
    const layer = readNestedCms(cms, undefined).layers[0];
    const signer = layer.signerInfos[0];
    const h = createHash('sha256');
    for (const segment of layer.content!.segments) h.update(segment);
    if (!h.digest().equals(Buffer.from(signer.signedAttrs!.messageDigest!))) throw new Error('digest mismatch');
    const key = new X509Certificate(Buffer.from(layer.certificates[0])).publicKey;
    if (!verify('sha256', signer.signedAttrs!.signedBytes, key, signer.signature)) throw new Error('signature invalid');
  }
}
const peak = peakRss();
process.stdout.write(JSON.stringify({ peakBytes: Math.max(0, peak - before), fileBytes: statSync(file).size }));
