import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { JobsService } from '../src/jobs/jobs.service.js';
import { REMINDER_QUEUE } from '../src/notifications/notifications.service.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { consoleAgent, createConsoleUser } from './support/console.js';
import { startSmtp } from './support/mail.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';
import { signAll } from './support/verification.js';

/** A fake SMS gateway: answers each request with the next status in `script` (then 200) and keeps what it got. */
async function startGateway(): Promise<{ server: Server; url: string; received: { headers: IncomingHttpHeaders; body: { to: string; text: string } }[]; script: number[] }> {
  const received: { headers: IncomingHttpHeaders; body: { to: string; text: string } }[] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { id: `sms-${received.length}` } : { error: `status ${status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/send`, received, script };
}

/** The attachment named `name` of a MIME message, decoded from base64. */
function attachment(raw: string, name: string): Buffer | null {
  const at = raw.indexOf(`filename=${name}`) >= 0 ? raw.indexOf(`filename=${name}`) : raw.indexOf(`filename="${name}"`);
  if (at < 0) return null;
  const start = raw.slice(at).search(/\r?\n\r?\n/) + at;
  const end = raw.indexOf('\n--', start);
  return Buffer.from(raw.slice(start, end).replace(/\s+/g, ''), 'base64');
}

type Trail = { events: { type: string; data: Record<string, unknown> }[] };

describe('reminders, completion mail and SMS (real SMTP server, fake SMS gateway over HTTP)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let drive: SigningDriver;

  beforeAll(async () => {
    smtp = await startSmtp();
    gateway = await startGateway();
    t = await startTestApp({
      SANDBOX_ENABLED: 'true',
      ROUND_POLL_SECONDS: '2',
      SMTP_URL: smtp.url,
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_TOKEN: 'gateway-token-123',
      NOTIFICATION_RETRY_DELAY_SECONDS: '1',
      NOTIFICATION_RETRY_LIMIT: '2',
      CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
  });
  afterAll(async () => {
    await t?.close();
    await smtp.close();
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
  });

  const pdf = async (text: string) => ({ name: 'c.pdf', contentBase64: (await makePdf(text)).toString('base64') });
  const trail = async (id: string) => (await drive.http.get(`/v1/envelopes/${id}/audit`).set(drive.auth()).expect(200)).body as Trail;
  const reminderJobs = async (signerId: string) =>
    (await t.db.query(`SELECT id, data, start_after FROM pgboss.job WHERE name = $1 AND data->>'signerId' = $2 AND state = 'created' ORDER BY start_after`, [REMINDER_QUEUE, signerId])) as {
      id: string;
      data: { sequence: number };
      start_after: Date;
    }[];
  /** Time passes: the scheduled reminder of this signer becomes due now. */
  const makeDue = (signerId: string) => t.db.query(`UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND data->>'signerId' = $2 AND state = 'created'`, [REMINDER_QUEUE, signerId]);
  const reminders = async (signerId: string) => (await t.db.query(`SELECT channel, status, dedupe_key FROM notification WHERE signer_id = $1 AND kind = 'reminder' ORDER BY channel`, [signerId])) as { channel: string; status: string; dedupe_key: string }[];

  it('the turn message goes by mail and by SMS through the gateway (bearer token, the whole link)', async () => {
    const created = await drive.create({ title: 'SMS too', documents: [await pdf('sms')], signers: [{ ...signers([IINS[0]])[0], email: 'anna@example.kz' }], options: { language: 'en' }, send: true });
    const sms = await until(async () => gateway.received.find((r) => r.body.text.includes(created.signers[0].link!)), 'the SMS at the gateway');
    expect(sms.headers.authorization).toBe('Bearer gateway-token-123');
    expect(sms.body.to).toMatch(/^77\d{9}$/);
    expect(sms.body.text).toContain('please sign “SMS too”');
    await until(async () => smtp.received.some((m) => m.to.includes('anna@example.kz')), 'the mail');
    const sent = await until(async () => {
      const events = (await trail(created.id)).events.filter((e) => e.type === 'notification.sent');
      return events.length === 2 ? events : undefined;
    }, 'both messages recorded as sent');
    expect(sent.map((e) => e.data.channel).sort()).toEqual(['email', 'sms']);
    // The phone number is masked in the trail.
    expect(JSON.stringify(sent)).not.toContain(sms.body.to);
  });

  it('a gateway that fails is retried and the attempts are recorded; a refusal (4xx) is final at once; signing goes on', async () => {
    gateway.script.push(503);
    const created = await drive.create({ title: 'Flaky gateway', documents: [await pdf('flaky')], signers: signers(IINS.slice(1, 3)), send: true });
    const first = created.signers[0];
    const row = await until(async () => {
      const [r] = (await t.db.query(`SELECT status, attempts, last_error FROM notification WHERE signer_id = $1 AND channel = 'sms'`, [first.id])) as { status: string; attempts: number; last_error: string | null }[];
      return r?.status === 'SENT' ? r : undefined;
    }, 'the SMS sent on the second attempt');
    expect(row.attempts).toBe(2);
    const events = (await trail(created.id)).events.map((e) => e.type);
    expect(events).toContain('notification.retrying');

    gateway.script.push(400);
    await drive.round(created.id, 0);
    const second = created.signers[1];
    const failed = await until(async () => {
      const [r] = (await t.db.query(`SELECT status, attempts, last_error FROM notification WHERE signer_id = $1 AND channel = 'sms'`, [second.id])) as { status: string; attempts: number; last_error: string }[];
      return r?.status === 'FAILED' ? r : undefined;
    }, 'the refused SMS marked failed');
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toContain('SMS gateway answered 400');
    await drive.round(created.id, 1);
    await drive.waitForStatus(created.id, 'COMPLETED');
  });

  it('reminds every N days while the signer is active, once per reminder however often its job runs, and stops when they sign', async () => {
    const created = await drive.create({
      title: 'Remind every 2 days',
      documents: [await pdf('every')],
      signers: [{ ...signers([IINS[3]])[0], email: 'slow@example.kz' }],
      options: { language: 'ru', reminderIntervalDays: 2 },
      send: true,
    });
    expect(created).toMatchObject({ reminderIntervalDays: 2 });
    const signerId = created.signers[0].id;
    const [firstJob] = await until(async () => {
      const jobs = await reminderJobs(signerId);
      return jobs.length ? jobs : undefined;
    }, 'the first reminder scheduled');
    expect(firstJob.data.sequence).toBe(1);
    const inDays = (new Date(firstJob.start_after).getTime() - Date.now()) / 86_400_000;
    expect(inDays).toBeGreaterThan(1.99);
    expect(inDays).toBeLessThan(2.01);
    expect(await reminders(signerId)).toEqual([]);

    await makeDue(signerId);
    const sent = await until(async () => {
      const rows = await reminders(signerId);
      return rows.length === 2 && rows.every((r) => r.status === 'SENT') ? rows : undefined;
    }, 'the first reminder, by mail and SMS');
    expect(sent.map((r) => r.dedupe_key)).toEqual([`reminder:${signerId}:1:email`, `reminder:${signerId}:1:sms`]);
    const mail = smtp.received.filter((m) => m.to.includes('slow@example.kz'));
    expect(mail).toHaveLength(2);
    const [nextJob] = await until(async () => {
      const jobs = await reminderJobs(signerId);
      return jobs.length ? jobs : undefined;
    }, 'the second reminder scheduled');
    expect(nextJob.data.sequence).toBe(2);

    // The same reminder's job running again (a retry, a second instance) writes nothing new.
    await t.app.get(JobsService).send(undefined, REMINDER_QUEUE, { organisationId: drive.organisation.id, signerId, sequence: 1 });
    t.app.get(JobsService).wake(REMINDER_QUEUE);
    await until(async () => ((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'signerId' = $2 AND state = 'completed'`, [REMINDER_QUEUE, signerId])) as { n: number }[])[0].n >= 2, 'the repeated job to run');
    expect(await reminders(signerId)).toHaveLength(2);
    expect((await trail(created.id)).events.filter((e) => e.type === 'signer.reminded')).toHaveLength(1);

    await drive.round(created.id, 0);
    await drive.waitForStatus(created.id, 'COMPLETED');
    await makeDue(signerId);
    await until(async () => (await reminderJobs(signerId)).length === 0 && ((await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'signerId' = $2 AND state IN ('created', 'active', 'retry')`, [REMINDER_QUEUE, signerId])) as { n: number }[])[0].n === 0, 'the last reminder job to end');
    expect(await reminders(signerId)).toHaveLength(2);
  });

  it('refuses a reminder interval out of range with a message saying what to fix', async () => {
    const res = await drive.http.post('/v1/envelopes').set(drive.auth()).send({ title: 'x', documents: [await pdf('x')], signers: signers([IINS[4]]), options: { reminderIntervalDays: 0 } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('reminderIntervalDays');
  });

  it('mails the sender on completion with the certificate of completion attached: the API sender address, or the console user who created it', async () => {
    const created = await drive.create({ title: 'Done deal', documents: [await pdf('done')], signers: signers(IINS.slice(4, 6)), options: { language: 'en', senderEmail: 'legal@acme.kz' }, send: true });
    await signAll(drive, created.id, 2);
    const mail = await until(async () => smtp.received.find((m) => m.to.includes('legal@acme.kz')), 'the completion mail');
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?Q\?Everyone_has_signed_/);
    const certificate = attachment(mail.raw, 'certificate-of-completion.pdf');
    expect(certificate?.subarray(0, 5).toString()).toBe('%PDF-');

    // Created in the console by a member: the member gets the mail.
    await createConsoleUser(t, drive.organisation.id, 'sender@acme.kz', 'member');
    const { agent, csrf } = await consoleAgent(t, 'sender@acme.kz');
    const [a] = signers(IINS.slice(6, 7));
    const res = await agent
      .post('/console/envelopes')
      .field('_csrf', csrf)
      .field('title', 'From the console')
      .field('signerName', a.fullName)
      .field('signerIin', a.iin)
      .field('signerPhone', '+77011234567')
      .field('signerOrder', '1')
      .field('language', 'ru')
      .field('reminderIntervalDays', '3')
      .field('send', 'true')
      .attach('files', await makePdf('console'), 'console.pdf')
      .expect(303);
    const envelopeId = /\/console\/envelopes\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1];
    expect((await drive.get(envelopeId)) as unknown as { reminderIntervalDays: number }).toMatchObject({ reminderIntervalDays: 3 });
    await signAll(drive, envelopeId, 1);
    const consoleMail = await until(async () => smtp.received.find((m) => m.to.includes('sender@acme.kz')), 'the completion mail to the console user');
    expect(consoleMail.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect(attachment(consoleMail.raw, 'certificate-of-completion.pdf')?.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('a mail server that refuses every message', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp({ refuse: true });
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', SMTP_URL: smtp.url, NOTIFICATION_RETRY_DELAY_SECONDS: '1', CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp.close();
  });

  it('never blocks signing: the envelope completes, and the failure is recorded and shown in the timeline', async () => {
    const acme = await createOrganisation(t, 'Acme');
    const drive = new SigningDriver(t, acme);
    const people = signers(IINS.slice(0, 2)).map((s, i) => ({ ...s, email: `p${i}@example.kz` }));
    const created = await drive.create({ title: 'Refused mail', documents: [{ name: 'c.pdf', contentBase64: (await makePdf('refused')).toString('base64') }], signers: people, options: { language: 'en' }, send: true });
    await signAll(drive, created.id, 2);
    const failures = await until(async () => {
      const rows = (await t.db.query(`SELECT recipient, status, attempts, last_error FROM notification WHERE envelope_id = $1 ORDER BY recipient`, [created.id])) as {
        recipient: string;
        status: string;
        attempts: number;
        last_error: string;
      }[];
      return rows.length === 2 && rows.every((r) => r.status === 'FAILED') ? rows : undefined;
    }, 'both turn mails failed');
    // 550 is a refusal: final at the first attempt, not retried five times.
    expect(failures.map((f) => [f.recipient, f.attempts])).toEqual([
      ['p0@example.kz', 1],
      ['p1@example.kz', 1],
    ]);
    expect(failures[0].last_error).toContain('550');
    expect(smtp.received).toHaveLength(0);

    await createConsoleUser(t, acme.id, 'viewer@acme.kz', 'viewer');
    const { agent } = await consoleAgent(t, 'viewer@acme.kz');
    const page = await agent.get(`/console/envelopes/${created.id}?lang=en`).expect(200);
    expect(page.text).toContain('data-status="COMPLETED"');
    expect(page.text).toContain('data-event="notification.failed"');
    expect(page.text).toMatch(/data-event-error>[^<]*550/);
  });
});
