import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { consoleAgent, createConsoleUser, csrfOf } from './support/console.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';

/** A webhook receiver on loopback that answers 204 and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; url: string; received: { headers: IncomingHttpHeaders; body: string }[] }> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, received };
}

/**
 * Console actions and settings over real HTTP on a real database: reminding a signer (rate-limited, in the
 * trail under the user), webhook endpoints with their delivery log and redeliver, the provider account status.
 */
describe('console actions and settings', () => {
  let t: TestApp;
  let acme: { id: string; key: string };
  let drive: SigningDriver;
  let otherDrive: SigningDriver;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let memberId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_LIMIT: '0' });
    acme = await createOrganisation(t, 'Acme');
    drive = new SigningDriver(t, acme);
    otherDrive = new SigningDriver(t, await createOrganisation(t, 'Other'));
    await createConsoleUser(t, acme.id, 'admin@acme.kz', 'admin');
    memberId = await createConsoleUser(t, acme.id, 'member@acme.kz', 'member');
    await createConsoleUser(t, acme.id, 'viewer@acme.kz', 'viewer');
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });

  const pdf = async (text: string) => ({ name: 'contract.pdf', contentBase64: (await makePdf(text)).toString('base64') });
  const messages = async (signerId: string, kind: string) =>
    ((await t.db.query(`SELECT count(*)::int AS n FROM notification WHERE signer_id = $1 AND kind = $2`, [signerId, kind])) as { n: number }[])[0].n;

  describe('remind a signer', () => {
    it('a member re-sends the turn mail to the active signer; a second click within the hour is refused; the trail names the member', async () => {
      const people = signers(IINS.slice(0, 2)).map((s, i) => ({ ...s, email: `s${i}@example.kz` }));
      const created = await drive.create({ title: 'Remind me', documents: [await pdf('remind')], signers: people, options: { language: 'en' }, send: true });
      const [first, second] = created.signers;
      const { agent } = await consoleAgent(t, 'member@acme.kz');
      const page = await agent.get(`/console/envelopes/${created.id}?lang=en`).expect(200);
      // Only the signer whose turn it is has a Remind button.
      expect(page.text).toContain(`action="/console/envelopes/${created.id}/signers/${first.id}/remind"`);
      expect(page.text).not.toContain(`/signers/${second.id}/remind`);
      const csrf = csrfOf(page.text);

      const res = await agent.post(`/console/envelopes/${created.id}/signers/${first.id}/remind`).type('form').send({ _csrf: csrf }).expect(303);
      expect(res.headers.location).toBe(`/console/envelopes/${created.id}?reminded=1`);
      expect((await agent.get(res.headers.location as string).expect(200)).text).toContain('Reminder sent');
      expect(await messages(first.id, 'reminder')).toBe(1);
      const reminder = ((await t.db.query(`SELECT subject, body FROM notification WHERE signer_id = $1 AND kind = 'reminder'`, [first.id])) as { subject: string; body: string }[])[0];
      expect(reminder.subject).toBe('Reminder: your turn to sign “Remind me”');
      expect(reminder.body).toContain(first.link!);

      const again = await agent.post(`/console/envelopes/${created.id}/signers/${first.id}/remind`).type('form').send({ _csrf: csrf }).expect(429);
      expect(again.text).toContain('the next reminder is possible after');
      expect(await messages(first.id, 'reminder')).toBe(1);

      // Not this signer's turn yet.
      const waiting = await agent.post(`/console/envelopes/${created.id}/signers/${second.id}/remind`).type('form').send({ _csrf: csrf }).expect(409);
      expect(waiting.text).toContain('It is not this signer&#39;s turn');
      expect(await messages(second.id, 'reminder')).toBe(0);

      const trail = (await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200)).body as { events: { type: string; actor: { kind: string; id?: string }; data: { signerId?: string } }[] };
      const reminded = trail.events.filter((e) => e.type === 'signer.reminded');
      expect(reminded).toHaveLength(1);
      expect(reminded[0].actor).toEqual({ kind: 'user', id: memberId });
      expect(reminded[0].data.signerId).toBe(first.id);
      await until(async () => (await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth())).body.events.filter((e: { type: string }) => e.type === 'notification.sent').length >= 2, 'the reminder to be sent');
    });

    it('a viewer may not remind, a form without CSRF is refused, and another organisation’s envelope is not found', async () => {
      const created = await drive.create({ title: 'Viewer', documents: [await pdf('viewer')], signers: [{ ...signers([IINS[2]])[0], email: 'v@example.kz' }], send: true });
      const signerId = created.signers[0].id;
      const viewer = await consoleAgent(t, 'viewer@acme.kz');
      const viewerPage = await viewer.agent.get(`/console/envelopes/${created.id}`).expect(200);
      expect(viewerPage.text).not.toContain('data-action="remind"');
      await viewer.agent.post(`/console/envelopes/${created.id}/signers/${signerId}/remind`).type('form').send({ _csrf: viewer.csrf }).expect(403);
      const member = await consoleAgent(t, 'member@acme.kz');
      await member.agent.post(`/console/envelopes/${created.id}/signers/${signerId}/remind`).type('form').send({}).expect(403);
      const foreign = await otherDrive.create({ title: 'Foreign', documents: [await pdf('foreign')], signers: [{ ...signers([IINS[3]])[0], email: 'f@example.kz' }], send: true });
      await member.agent.post(`/console/envelopes/${foreign.id}/signers/${foreign.signers[0].id}/remind`).type('form').send({ _csrf: member.csrf }).expect(404);
      // A signer of another envelope under this envelope's id: not found either.
      await member.agent.post(`/console/envelopes/${created.id}/signers/${foreign.signers[0].id}/remind`).type('form').send({ _csrf: member.csrf }).expect(404);
      expect(await messages(signerId, 'reminder')).toBe(0);
      expect(await messages(foreign.signers[0].id, 'reminder')).toBe(0);
    });

    it('says what to do when the signer has no address to remind', async () => {
      const created = await drive.create({ title: 'No address', documents: [await pdf('noaddr')], signers: signers([IINS[4]]), send: true });
      const member = await consoleAgent(t, 'member@acme.kz');
      const res = await member.agent.post(`/console/envelopes/${created.id}/signers/${created.signers[0].id}/remind?lang=en`).type('form').send({ _csrf: member.csrf }).expect(422);
      expect(res.text).toContain('copy their link');
    });
  });

  describe('webhook endpoints in settings', () => {
    it('an admin adds an endpoint (secret shown once), reads its delivery log, redelivers, and deletes it', async () => {
      const admin = await consoleAgent(t, 'admin@acme.kz');
      const list = await admin.agent.get('/console/settings/webhooks?lang=en').expect(200);
      const csrf = csrfOf(list.text);
      const bad = await admin.agent.post('/console/settings/webhooks').type('form').send({ _csrf: csrf, url: 'ftp://example.kz/hook' }).expect(400);
      expect(bad.text).toContain('data-error');
      expect(bad.text).toContain('url: must use https or http');
      const badEvent = await admin.agent.post('/console/settings/webhooks').type('form').send({ _csrf: csrf, url: receiver.url, events: 'nope.*' });
      expect(badEvent.status).toBe(400);
      expect(badEvent.text).toContain('each value in events must be one of');

      const created = await admin.agent.post('/console/settings/webhooks').type('form').send({ _csrf: csrf, url: receiver.url, description: 'ERP', events: ['envelope.sent', 'signer.*'] }).expect(201);
      const secret = /data-new-secret>(whsec_[^<]+)</.exec(created.text)![1];
      const endpointId = /data-endpoint-id="([0-9a-f-]{36})"/.exec(created.text)![1];
      const again = await admin.agent.get('/console/settings/webhooks').expect(200);
      expect(again.text).toContain(receiver.url);
      expect(again.text).toContain('envelope.sent, signer.*');
      expect(again.text).not.toContain(secret);

      await drive.create({ title: 'Hooked', documents: [await pdf('hooked')], signers: signers([IINS[5]]), send: true });
      await until(async () => receiver.received.some((r) => JSON.parse(r.body).type === 'envelope.sent'), 'the envelope.sent delivery');
      // The attempt's outcome is recorded just after the receiver answered (no transaction is open during the
      // call), and the signer.activated delivery may be recorded first: wait for the envelope.sent row itself.
      const sentRow = /data-delivery-id="([0-9a-f-]{36})" data-delivery-status="delivered"><td>(?:(?!<\/tr>)[^])*?<code>envelope\.sent<\/code>/;
      const log = await until(async () => {
        const res = await admin.agent.get(`/console/settings/webhooks/${endpointId}?lang=en`).expect(200);
        return sentRow.test(res.text) ? res.text : undefined;
      }, 'the envelope.sent row delivered in the log');
      const deliveryId = sentRow.exec(log)![1];
      const sentBefore = receiver.received.filter((r) => JSON.parse(r.body).type === 'envelope.sent');
      expect(sentBefore).toHaveLength(1);

      const redelivered = await admin.agent.post(`/console/settings/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`).type('form').send({ _csrf: csrfOf(log) }).expect(303);
      expect(redelivered.headers.location).toBe(`/console/settings/webhooks/${endpointId}?redelivered=1`);
      await until(async () => receiver.received.filter((r) => JSON.parse(r.body).type === 'envelope.sent').length === 2, 'the redelivery');
      const [firstSent, secondSent] = receiver.received.filter((r) => JSON.parse(r.body).type === 'envelope.sent');
      // Same event, same webhook-id: the receiver can tell it already has it.
      expect(secondSent.headers['webhook-id']).toBe(firstSent.headers['webhook-id']);
      expect(secondSent.body).toBe(firstSent.body);
      // One history: the same delivery, now with two attempts, delivered again.
      const row = await until(async () => {
        const [r] = (await t.db.query(`SELECT status, attempts FROM webhook_delivery WHERE id = $1`, [deliveryId])) as { status: string; attempts: number }[];
        return r.status === 'delivered' ? r : undefined;
      }, 'the redelivered row');
      expect(row.attempts).toBe(2);
      // A delivery still pending is not sent twice at once.
      await t.db.query(`UPDATE webhook_delivery SET status = 'pending' WHERE id = $1`, [deliveryId]);
      await admin.agent.post(`/console/settings/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`).type('form').send({ _csrf: csrf }).expect(409);
      await t.db.query(`UPDATE webhook_delivery SET status = 'delivered' WHERE id = $1`, [deliveryId]);

      // Another organisation's admin sees none of it.
      await createConsoleUser(t, otherDrive.organisation.id, 'admin@other.kz', 'admin');
      const otherAdmin = await consoleAgent(t, 'admin@other.kz');
      await otherAdmin.agent.get(`/console/settings/webhooks/${endpointId}`).expect(404);
      await otherAdmin.agent.post(`/console/settings/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`).type('form').send({ _csrf: otherAdmin.csrf }).expect(404);
      await otherAdmin.agent.post(`/console/settings/webhooks/${endpointId}/delete`).type('form').send({ _csrf: otherAdmin.csrf }).expect(404);

      await admin.agent.post(`/console/settings/webhooks/${endpointId}/delete`).type('form').send({ _csrf: csrf }).expect(303);
      expect((await admin.agent.get('/console/settings/webhooks').expect(200)).text).not.toContain(`data-endpoint-id="${endpointId}"`);
    });

    it('members and viewers may not manage endpoints', async () => {
      for (const email of ['member@acme.kz', 'viewer@acme.kz']) {
        const { agent, csrf } = await consoleAgent(t, email);
        await agent.get('/console/settings/webhooks').expect(403);
        await agent.post('/console/settings/webhooks').type('form').send({ _csrf: csrf, url: receiver.url }).expect(403);
      }
      expect(((await t.db.query(`SELECT count(*)::int AS n FROM webhook_endpoint WHERE organisation_id = $1 AND deleted_at IS NULL`, [acme.id])) as { n: number }[])[0].n).toBe(0);
    });
  });

  it('settings show the provider account: the sandbox host, the account once made, the last failed call', async () => {
    const fresh = await createOrganisation(t, 'Fresh');
    await createConsoleUser(t, fresh.id, 'admin@fresh.kz', 'admin');
    const admin = await consoleAgent(t, 'admin@fresh.kz');
    const before = await admin.agent.get('/console/settings?lang=en').expect(200);
    expect(before.text).toContain('data-provider-environment="sandbox"');
    expect(before.text).toContain(`${t.baseUrl}/sandbox`);
    expect(before.text).toContain('data-provider-account="on-first-use"');
    const freshDrive = new SigningDriver(t, fresh);
    const created = await freshDrive.create({ title: 'First', documents: [await pdf('first')], signers: signers([IINS[7]]), send: true });
    await freshDrive.startSigning(created.signers[0].link!);
    const after = await admin.agent.get('/console/settings?lang=en').expect(200);
    expect(after.text).toContain('data-provider-account="configured"');
    expect(after.text).toMatch(/data-provider-last-error>—</);
    // A provider refusal while a signer presses Sign is recorded by the signing rounds and shown here.
    const second = await freshDrive.create({ title: 'Refused', documents: [await pdf('refused')], signers: signers([IINS[0]]), send: true });
    const providerKey = await freshDrive.providerKey();
    const put = async (body: object) => {
      const res = await fetch(`${t.baseUrl}/sandbox/automation/faults`, { method: 'PUT', headers: { 'x-api-key': providerKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    };
    await put({ failNext: { error: 'EDOCUMENT_UNAVAILABLE', count: 1, endpoint: 'create' } });
    await freshDrive.http.get(freshDrive.path(second.signers[0].link!)).expect(200);
    const refused = await freshDrive.http.post(`${freshDrive.path(second.signers[0].link!)}/sign`);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    await put({ failNext: null });
    const failed = await admin.agent.get('/console/settings?lang=en').expect(200);
    expect(failed.text).toContain('EDOCUMENT_UNAVAILABLE');
    expect(failed.text).toContain(`href="/console/envelopes/${second.id}"`);
  });
});
