/**
 * Archive copies: each PDF opens in poppler, its last page lists every signer of the chain, its QR code
 * decodes to the verification URL with the session's check_id, and its metadata carries DocumentId.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';
import { isWellFormedXml } from '../../src/common/domain/document-type.js';
import { fullName, type PersonName } from '../../src/sandbox/domain/kazakh-names.js';
import type { TestApp } from '../support/app.js';
import { freshIin, makePdf, PHONE, sandboxClient, sandboxOrganisation, startSandboxApp, workDir, XML } from './support.js';
import { maskIin } from '../../src/common/domain/pii-mask.js';

// jsqr is CommonJS with a default export: typed one way under nodenext, loaded another way under jest.
/** poppler runs asynchronously: the app under test shares this process and must keep serving meanwhile. */
const execFileAsync = promisify(execFile);
async function run(file: string, args: string[]): Promise<string> {
  return (await execFileAsync(file, args, { encoding: 'utf8' })).stdout;
}

const jsQR = ((jsqrModule as unknown as { default?: unknown }).default ?? jsqrModule) as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

describe('sandbox archive', () => {
  let t: TestApp;
  let apiKey: string;
  const dir = workDir();

  beforeAll(async () => {
    t = await startSandboxApp({ SANDBOX_VERIFY_URL: 'https://kezek.example/verify/{checkId}?from=qr' });
    apiKey = (await sandboxOrganisation(t)).apiKey;
  });
  afterAll(() => t.close());

  async function nameOf(iin: string): Promise<string> {
    const res = await fetch(`${t.baseUrl}/sandbox/automation/persons/${iin}`, { headers: { 'x-api-key': apiKey } });
    return fullName((await res.json()) as PersonName);
  }

  async function signRound(input: Uint8Array, iin: string, type: 'pdf' | 'xml' = 'pdf') {
    const client = sandboxClient(t, apiKey);
    const session = await client.createSession({ iin, phone: PHONE, documentType: type });
    const uploaded = await client.uploadDocument({ sessionId: session.sessionId, name: `Договор №1.${type}`, file: input });
    const completed = await fetch(`${t.baseUrl}/sandbox/automation/sessions/${session.sessionId}/complete`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'sign' }) });
    expect(completed.ok).toBe(true);
    await completed.arrayBuffer(); // read, so its pooled connection is free for the next call
    const sign = Buffer.from((await client.getResult(session.sessionId)).docs[0].sign!, 'base64');
    return { client, session, uploaded, sign };
  }

  it('PDF copy of a two-signer chain: poppler opens it, last page lists both signers, QR → verify URL with check_id, DocumentId metadata', async () => {
    const pdf = await makePdf('Supply contract');
    const first = freshIin();
    const second = freshIin(false);
    const round1 = await signRound(pdf, first);
    const round2 = await signRound(round1.sign, second);
    const zip = unzipSync(await round2.client.downloadArchive(round2.session.sessionId));
    expect(Object.keys(zip)).toEqual(['Договор №1.pdf']);
    const file = join(dir, 'copy.pdf');
    writeFileSync(file, zip['Договор №1.pdf']);

    expect(await run('pdfinfo', [file])).toMatch(/^Pages:\s+2$/m);
    const info = await run('pdfinfo', ['-custom', file]);
    expect(info).toMatch(new RegExp(`^DocumentId:\\s+${round2.uploaded.id}$`, 'm'));

    const firstPage = await run('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    expect(firstPage).toContain('Supply contract: the parties agree.');
    const lastPage = await run('pdftotext', ['-f', '2', '-l', '2', '-layout', file, '-']);
    const lines = lastPage.split('\n');
    // The sheet shows IINs masked as everywhere else (********0126), never in full.
    expect(first.slice(-4)).not.toBe(second.slice(-4));
    expect(lastPage).not.toContain(first);
    const row1 = lines.find((l) => l.includes(maskIin(first)));
    const row2 = lines.find((l) => l.includes(maskIin(second)));
    expect(lastPage).toContain(await nameOf(first));
    expect(lastPage).toContain(await nameOf(second));
    expect(row1).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(row2).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    expect(lines.indexOf(row1!)).toBeLessThan(lines.indexOf(row2!));

    await run('pdftoppm', ['-f', '2', '-l', '2', '-r', '110', '-png', '-singlefile', file, join(dir, 'last')]);
    const png = PNG.sync.read(readFileSync(join(dir, 'last.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe(`https://kezek.example/verify/${round2.session.checkId}?from=qr`);
  });

  it('base64 archive carries the same copies', async () => {
    const round = await signRound(await makePdf('Base64'), freshIin());
    const copies = await round.client.downloadArchiveBase64(round.session.sessionId);
    expect(copies).toHaveLength(1);
    writeFileSync(join(dir, 'b64.pdf'), copies[0].content);
    expect(await run('pdfinfo', ['-custom', join(dir, 'b64.pdf')])).toMatch(new RegExp(`DocumentId:\\s+${round.uploaded.id}`));
  });

  it('XML copy: the original bytes, then the signers and a kezek-archive instruction; still well-formed', async () => {
    const iin = freshIin();
    const round = await signRound(XML, iin, 'xml');
    const zip = unzipSync(await round.client.downloadArchive(round.session.sessionId));
    const copy = Buffer.from(zip['Договор №1.xml']);
    expect(copy.subarray(0, XML.length)).toEqual(XML);
    expect(isWellFormedXml(copy)).toBe(true);
    const text = copy.toString('utf8');
    expect(text).toContain(await nameOf(iin));
    expect(text).toContain(`<?kezek-archive DocumentId="${round.uploaded.id}" check_id="${round.session.checkId}" verify_url="https://kezek.example/verify/${round.session.checkId}?from=qr"?>`);
  });
});
