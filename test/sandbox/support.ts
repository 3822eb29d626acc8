import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CloudEdsClient } from '../../src/cloud-eds/cloud-eds.client.js';
import { makeIin } from '../../src/cms/iin.js';
import { SandboxOrganisationsService, type CreateSandboxOrganisation, type IssuedSandboxOrganisation } from '../../src/sandbox/sandbox-organisations.service.js';
import { startTestApp, type TestApp } from '../support/app.js';

/** The whole app with the sandbox on (tests use DATABASE_URL, where the sandbox is off by default). */
export function startSandboxApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ SANDBOX_ENABLED: 'true', SANDBOX_POLL_INTERVAL_MS: '50', SANDBOX_WEBHOOK_RETRY_BASE_MS: '50', ...env });
}

export function sandboxOrganisation(t: TestApp, input: Partial<CreateSandboxOrganisation> = {}): Promise<IssuedSandboxOrganisation> {
  return t.app.get(SandboxOrganisationsService).create({ name: 'Sandbox Co', ...input });
}

export function sandboxClient(t: TestApp, apiKey: string, options: Partial<ConstructorParameters<typeof CloudEdsClient>[0]> = {}): CloudEdsClient {
  return new CloudEdsClient({ baseUrl: `${t.baseUrl}/sandbox`, signUrl: `${t.baseUrl}/sandbox/sign`, apiKey, timeoutMs: 10_000, retry: { attempts: 1, baseDelayMs: 10 }, ...options });
}

let serial = 100;
/** A valid IIN not used before in this test process. */
export function freshIin(male = true): string {
  serial += 7;
  return makeIin({ year: 1988, month: 3, day: 14 }, male, serial);
}

export const PHONE = '77011234567';

/** A small real PDF (one page of text), well under the dev profile's 30 KB. */
export async function makePdf(title = 'Contract'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  page.drawText(`${title}: the parties agree.`, { x: 50, y: 780, size: 14, font });
  pdf.setTitle(title);
  return pdf.save();
}

export const XML = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<contract><party>Acme</party><sum currency="KZT">1000</sum></contract>\n');

export function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'kezek-sandbox-test-'));
}

/** `openssl cms -verify -binary -inform DER -in <sign> -CAfile <ca.pem> -out <file>`; throws with openssl's message on failure. */
export function opensslVerify(dir: string, cms: Uint8Array, caPem: string, extra: string[] = []): { stdout: string; stderr: string } {
  const name = `sign-${Math.random().toString(16).slice(2)}`;
  writeFileSync(join(dir, `${name}.der`), cms);
  writeFileSync(join(dir, 'ca.pem'), caPem);
  try {
    const stdout = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, `${name}.der`), '-CAfile', join(dir, 'ca.pem'), '-out', join(dir, `${name}.out`), ...extra], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, stderr: '' };
  } catch (error) {
    const e = error as { stderr?: string };
    throw new Error(`openssl cms -verify failed: ${e.stderr ?? String(error)}`, { cause: error });
  }
}

export function opensslVerifyOutput(dir: string, cms: Uint8Array, caPem: string): string {
  const stderr = execFileSync('sh', ['-c', 'openssl cms -verify -binary -inform DER -in "$1" -CAfile "$2" -out /dev/null 2>&1', 'sh', writeTemp(dir, cms), writeTemp(dir, caPem)], { encoding: 'utf8' });
  return stderr.trim();
}

function writeTemp(dir: string, data: Uint8Array | string): string {
  const file = join(dir, `tmp-${Math.random().toString(16).slice(2)}`);
  writeFileSync(file, data);
  return file;
}
