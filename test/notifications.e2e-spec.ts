import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { startSmtp } from './support/mail.js';
import { consoleAgent, createConsoleUser } from './support/console.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';

/** Decoded text of a quoted-printable or base64 mail body, enough to find the link and subject in it. */
function textOf(raw: string): string {
  const headersEnd = raw.search(/\r?\n\r?\n/);
  const body = headersEnd < 0 ? '' : raw.slice(headersEnd);
  if (/Content-Transfer-Encoding: base64/i.test(raw)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('notifications by e-mail (a real SMTP server started by the test)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let drive: SigningDriver;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Kezek <kezek@acme.kz>' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  it('mails each signer when it is their turn, in the envelope language, with their own link, and records it in the trail', async () => {
    const people = signers(IINS.slice(0, 2)).map((s, i) => ({ ...s, email: `signer${i}@example.kz` }));
    const created = await drive.create({ title: 'Договор поставки', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('mail')).toString('base64') }], signers: people, options: { language: 'kz' }, send: true });
    const first = await until(async () => smtp.received.find((m) => m.to.includes('signer0@example.kz')), 'mail to the first signer');
    expect(smtp.received.some((m) => m.to.includes('signer1@example.kz'))).toBe(false);
    const text = textOf(first.raw);
    expect(text).toContain(created.signers[0].link!);
    expect(text).toContain('Договор поставки');
    expect(text).toContain('қол қою');
    expect(first.raw).toContain('kezek@acme.kz');

    await drive.round(created.id, 0);
    const second = await until(async () => smtp.received.find((m) => m.to.includes('signer1@example.kz')), 'mail to the second signer');
    expect(textOf(second.raw)).toContain(created.signers[1].link!);
    expect(smtp.received).toHaveLength(2);

    const trail = (await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200)).body as { events: { type: string; data: { recipient?: string; transport?: string } }[] };
    const sent = trail.events.filter((e) => e.type === 'notification.sent');
    expect(sent.map((e) => [e.data.recipient, e.data.transport])).toEqual([
      ['signer0@example.kz', 'smtp'],
      ['signer1@example.kz', 'smtp'],
    ]);
  });

  it('sends nothing for signers without an address, and refuses a malformed one', async () => {
    const before = smtp.received.length;
    const created = await drive.create({ title: 'No mail', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('nomail')).toString('base64') }], signers: signers([IINS[3]]), send: true });
    const res = await drive.http.post('/v1/envelopes').set(drive.auth()).send({ title: 'Bad', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('bad')).toString('base64') }], signers: [{ ...signers([IINS[4]])[0], email: 'not-an-address' }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('email');
    expect((await drive.get(created.id)).status).toBe('IN_PROGRESS');
    expect(((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE envelope_id = $1`, [created.id])) as { n: number }[])[0].n).toBe(0);
    expect(smtp.received.length).toBe(before);
  });
});

describe('development mailbox (no SMTP_URL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('keeps the mail in the console for members to read', async () => {
    const acme = await createOrganisation(t, 'Acme');
    const drive = new SigningDriver(t, acme);
    await createConsoleUser(t, acme.id, 'member@acme.kz', 'member');
    await createConsoleUser(t, acme.id, 'viewer@acme.kz', 'viewer');
    const created = await drive.create({ title: 'Lease', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('dev')).toString('base64') }], signers: [{ ...signers([IINS[0]])[0], email: 'anna@example.kz' }], options: { language: 'en' }, send: true });
    const { agent } = await consoleAgent(t, 'member@acme.kz');
    const page = await until(async () => {
      const res = await agent.get('/console/mailbox?lang=en').expect(200);
      return res.text.includes('data-notification="SENT"') ? res.text : undefined;
    }, 'the message in the development mailbox');
    expect(page).toContain('Development mailbox');
    expect(page).toContain('anna@example.kz');
    expect(page).toContain('your turn to sign “Lease”');
    expect(page).toContain(created.signers[0].link!);
    const viewer = await consoleAgent(t, 'viewer@acme.kz');
    await viewer.agent.get('/console/mailbox').expect(403);
  });
});
