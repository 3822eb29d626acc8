import { externalVectorPath, missingExternalVectors } from '../cms/testing/external-vectors.js';
import { runCli } from './program.js';

/** `kezek verify` on Kalkan's CMS (a GOST 34.10-2015 signer and an RSA one) with NCA's test CAs, from ../shared/vectors. */
const CMS = ['kalkan', 'gost_rsa_two_signers.p7s'];
const GOST_CA = ['kalkan', 'nca_gost2015_test.cer'];
const RSA_CA = ['kalkan', 'nca_rsa_test.crt'];
const NAME = 'kezek verify on Kalkan vectors';
const missing = missingExternalVectors(NAME, [CMS, GOST_CA, RSA_CA]);

async function kezek(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['node', 'kezek', ...args], { out: (t) => (out += t), err: (t) => (out += t) });
  return { code, out };
}

(missing.length ? describe.skip : describe)(`${NAME}${missing.length ? ' (NOT RUN: vectors missing)' : ''}`, () => {
  it('with --trust both NCA test CAs: the GOST signature passes, the RSA one is out of bounds, exit 2', async () => {
    const { code, out } = await kezek('verify', externalVectorPath(...CMS), '--trust', externalVectorPath(...GOST_CA), '--trust', externalVectorPath(...RSA_CA));
    expect(code).toBe(2);
    const rows = out.split('\n').filter((line) => /^1\.\d /.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('123456789012');
    expect(rows[0]).toMatch(/TOTAL_PASSED\s*$/);
    expect(rows[1]).toContain('123456789011');
    expect(rows[1]).toContain('INDETERMINATE (OUT_OF_BOUNDS_NO_POE)');
  });

  it('with --json: the GOST signer is TOTAL_PASSED with every check passed', async () => {
    const { code, out } = await kezek('verify', externalVectorPath(...CMS), '--trust', externalVectorPath(...GOST_CA), '--trust', externalVectorPath(...RSA_CA), '--json');
    expect(code).toBe(2);
    const report = JSON.parse(out) as { signatures: { indication: string; checks: Record<string, string> }[] };
    expect(report.signatures[0].indication).toBe('TOTAL_PASSED');
    expect(Object.values(report.signatures[0].checks)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
  });
});
