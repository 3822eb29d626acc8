import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCertificates } from '../cms/index.js';
import { readAnchorsFile } from './trust-anchors.service.js';

const DIR = join(process.cwd(), 'trust', 'nca');

describe('the NCA trust bundle', () => {
  const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
  const files = readdirSync(DIR).filter((f) => f.endsWith('.pem') && f !== 'nca-bundle.pem');

  it('holds every certificate file of the folder, each a CA, and nothing else', () => {
    const bundle = readAnchorsFile(join(DIR, 'nca-bundle.pem'));
    const singles = files.flatMap((f) => readCertificates(readFileSync(join(DIR, f)), f));
    expect(bundle.map((c) => c.sha256).sort()).toEqual(singles.map((c) => c.sha256).sort());
    expect(bundle.every((c) => c.basicConstraints?.ca === true)).toBe(true);
  });

  it.each(files)('documents %s with its SHA-256 fingerprint in the README', (file) => {
    const [certificate] = readCertificates(readFileSync(join(DIR, file)), file);
    const fingerprint = certificate.sha256.toUpperCase().match(/../g)!.join(':');
    expect(readme).toContain(`| \`${file}\` |`);
    expect(readme).toContain(fingerprint);
  });
});
