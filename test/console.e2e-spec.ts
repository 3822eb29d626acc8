import { unzipSync } from 'fflate';
import request from 'supertest';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { consoleAgent, createConsoleUser, csrfOf, PASSWORD } from './support/console.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver } from './support/signing.js';
import { binaryParser, signAll } from './support/verification.js';

/**
 * The console over real HTTP on a real database: sign-in with sessions and CSRF, lockout, roles and
 * organisation scoping, the envelope list, detail, downloads and actions, and who the audit trail names.
 */
describe('console', () => {
  let t: TestApp;
  let acme: { id: string; key: string };
  let other: { id: string; key: string };
  let drive: SigningDriver;
  let otherDrive: SigningDriver;
  let ownerId: string;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2', CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    acme = await createOrganisation(t, 'Acme');
    other = await createOrganisation(t, 'Other');
    drive = new SigningDriver(t, acme);
    otherDrive = new SigningDriver(t, other);
    ownerId = await createConsoleUser(t, acme.id, 'owner@acme.kz', 'owner');
    await createConsoleUser(t, acme.id, 'member@acme.kz', 'member');
    await createConsoleUser(t, acme.id, 'viewer@acme.kz', 'viewer');
    await createConsoleUser(t, other.id, 'owner@other.kz', 'owner');
  });
  afterAll(() => t.close());

  const pdf = async (text: string) => ({ name: 'contract.pdf', contentBase64: (await makePdf(text)).toString('base64') });

  describe('signing in', () => {
    it('sets an HttpOnly, SameSite session cookie, stores only its hash, and signs out', async () => {
      const agent = request.agent(t.app.getHttpServer());
      const form = await agent.get('/console/login?lang=en').expect(200);
      expect(form.headers['content-security-policy']).toContain("script-src 'self'");
      expect(form.text).toContain('<label for="email">E-mail</label>');
      const res = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(form.text), email: 'Owner@Acme.kz', password: PASSWORD, next: '/console/envelopes?status=DRAFT' }).expect(303);
      expect(res.headers.location).toBe('/console/envelopes?status=DRAFT');
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('kezek_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const sessionId = /kezek_session=([^;]+)/.exec(cookie)![1];
      const stored = (await t.db.query(`SELECT encode(id_hash, 'hex') AS h FROM console_session`)) as { h: string }[];
      expect(stored.map((r) => r.h).join()).not.toContain(Buffer.from(sessionId).toString('hex'));

      const page = await agent.get('/console/envelopes').expect(200);
      expect(page.text).toContain('owner@acme.kz');
      await agent.post('/console/logout').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      const after = await agent.get('/console/envelopes').expect(303);
      expect(after.headers.location).toBe('/console/login?next=%2Fconsole%2Fenvelopes');
    });

    it('refuses a login form without its CSRF token, and never redirects off the console', async () => {
      const agent = request.agent(t.app.getHttpServer());
      await agent.get('/console/login').expect(200);
      await agent.post('/console/login').type('form').send({ email: 'owner@acme.kz', password: PASSWORD }).expect(403);
      const form = await agent.get('/console/login').expect(200);
      const res = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(form.text), email: 'owner@acme.kz', password: PASSWORD, next: '//evil.example/' }).expect(303);
      expect(res.headers.location).toBe('/console');
    });

    it('answers a wrong password like an unknown address, and locks the account after five in a row', async () => {
      await createConsoleUser(t, acme.id, 'locked@acme.kz', 'viewer');
      const agent = request.agent(t.app.getHttpServer());
      const attempt = async (email: string, password: string) => {
        const form = await agent.get('/console/login').expect(200);
        return agent.post('/console/login').type('form').send({ _csrf: csrfOf(form.text), email, password });
      };
      const unknown = await attempt('nobody@acme.kz', 'whatever-long');
      expect(unknown.status).toBe(401);
      for (let i = 0; i < 4; i++) expect((await attempt('locked@acme.kz', 'wrong password!')).status).toBe(401);
      const wrong = await attempt('locked@acme.kz', 'wrong password!');
      expect(wrong.status).toBe(401);
      expect(unknown.text).toContain('Wrong e-mail or password');
      const locked = await attempt('locked@acme.kz', PASSWORD);
      expect(locked.status).toBe(429);
    });

    it('changes a password and ends the other sessions', async () => {
      await createConsoleUser(t, acme.id, 'changer@acme.kz', 'viewer');
      const first = await consoleAgent(t, 'changer@acme.kz');
      const second = await consoleAgent(t, 'changer@acme.kz');
      await first.agent.post('/console/account/password').type('form').send({ _csrf: first.csrf, current: 'not it at all', next: 'a new long password' }).expect(400);
      await first.agent.post('/console/account/password').type('form').send({ _csrf: first.csrf, current: PASSWORD, next: 'a new long password' }).expect(200);
      await first.agent.get('/console/envelopes').expect(200);
      await second.agent.get('/console/envelopes').expect(303);
      await consoleAgent(t, 'changer@acme.kz', 'a new long password');
    });

    it('invites a user who chooses a password and signs in with the invited role', async () => {
      const owner = await consoleAgent(t, 'owner@acme.kz');
      const res = await owner.agent.post('/console/settings/users').type('form').send({ _csrf: owner.csrf, email: 'new@acme.kz', role: 'member' }).expect(201);
      const link = /data-invitation>([^<]+)</.exec(res.text)![1];
      const path = new URL(link).pathname;
      const guest = request.agent(t.app.getHttpServer());
      const form = await guest.get(path).expect(200);
      expect(form.text).toContain('new@acme.kz');
      const short = await guest.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'short' }).expect(400);
      await guest.post(path).type('form').send({ _csrf: csrfOf(short.text), password: 'my own long password' }).expect(303);
      await guest.get(path).expect(404);
      const member = await consoleAgent(t, 'new@acme.kz', 'my own long password');
      await member.agent.get('/console/envelopes/new').expect(200);
      await member.agent.get('/console/settings').expect(403);
    });
  });

  describe('envelopes', () => {
    let apiEnvelopeId: string;

    beforeAll(async () => {
      const created = await drive.create({ title: 'Lease agreement 2026', documents: [await pdf('Lease')], signers: signers(IINS.slice(0, 2)), send: true });
      apiEnvelopeId = created.id;
      await drive.create({ title: 'Draft NDA', documents: [await pdf('NDA')], signers: signers([IINS[3]]) });
    });

    it('lists, searches by title, signer name and IIN, filters by status, and exports the filter as CSV', async () => {
      const { agent } = await consoleAgent(t, 'viewer@acme.kz');
      const all = await agent.get('/console/envelopes?lang=en').expect(200);
      expect(all.text).toContain('Lease agreement 2026');
      expect(all.text).toContain('Draft NDA');
      const byTitle = await agent.get('/console/envelopes?q=lease').expect(200);
      expect(byTitle.text).toContain('Lease agreement 2026');
      expect(byTitle.text).not.toContain('Draft NDA');
      const byIin = await agent.get(`/console/envelopes?q=${IINS[3]}`).expect(200);
      expect(byIin.text).toContain('Draft NDA');
      expect(byIin.text).not.toContain('Lease agreement 2026');
      const byName = await agent.get(`/console/envelopes?q=${encodeURIComponent('иванова')}`).expect(200);
      expect(byName.text).toContain('Lease agreement 2026');
      const drafts = await agent.get('/console/envelopes?status=DRAFT').expect(200);
      expect(drafts.text).toContain('Draft NDA');
      expect(drafts.text).not.toContain('Lease agreement 2026');
      const dashboard = await agent.get('/console').expect(200);
      expect(dashboard.text).toMatch(/data-count="DRAFT"><strong>1</);
      expect(dashboard.text).toMatch(/data-count="IN_PROGRESS"><strong>1</);
      expect(dashboard.text.match(/<tr data-waiting>/g)).toHaveLength(1);
      const csv = await agent.get('/console/envelopes.csv?status=IN_PROGRESS').expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('id,title,status,created_at,updated_at,finished_at,sender,signers');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${apiEnvelopeId},Lease agreement 2026,IN_PROGRESS`);
      expect(lines[1]).toMatch(/,API key \w+ \(initial\),/);
    });

    /** Follows the list's "next" links as a viewer (at most 5 pages); the titles matching `title`, in page order. */
    async function pageThrough(first: string, title: RegExp): Promise<{ seen: string[]; pages: number }> {
      const { agent } = await consoleAgent(t, 'viewer@acme.kz');
      const seen: string[] = [];
      let url: string | null = first;
      let pages = 0;
      while (url && pages < 5) {
        const res: request.Response = await agent.get(url).expect(200);
        seen.push(...[...res.text.matchAll(new RegExp(`>${title.source}<`, 'g'))].map((m) => m[1]));
        const next: string | undefined = /href="([^"]+)" rel="next"/.exec(res.text)?.[1];
        url = next ? next.replace(/&amp;/g, '&') : null;
        pages++;
      }
      return { seen, pages };
    }

    it('pages through the list with a keyset cursor, without repeats or gaps', async () => {
      for (let i = 0; i < 27; i++) await drive.create({ title: `Paging ${String(i).padStart(2, '0')}`, documents: [await pdf(`P${i}`)], signers: signers([IINS[4]]) });
      const { seen, pages } = await pageThrough('/console/envelopes?q=Paging&sort=created_asc', /(Paging \d\d)/);
      expect(pages).toBe(2);
      expect(seen).toEqual(Array.from({ length: 27 }, (_, i) => `Paging ${String(i).padStart(2, '0')}`));
    });

    it('pages by last change through envelopes changed inside one millisecond without skipping any', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 26; i++) ids.push((await drive.create({ title: `Tick ${String(i).padStart(2, '0')}`, documents: [await pdf(`T${i}`)], signers: signers([IINS[4]]) })).id);
      // updated_at keeps microseconds: all 26 inside one millisecond, each in its own microsecond.
      await t.db.query(
        `UPDATE envelope SET updated_at = timestamptz '2026-01-01 00:00:00.123Z' + make_interval(secs => u.n / 1000000.0)
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n) WHERE envelope.id = u.id`,
        [ids],
      );
      const { seen, pages } = await pageThrough('/console/envelopes?q=Tick&sort=updated_desc', /(Tick \d\d)/);
      expect(pages).toBe(2);
      expect(seen).toEqual(Array.from({ length: 26 }, (_, i) => `Tick ${String(25 - i).padStart(2, '0')}`));
    });

    it('names the API key that created an envelope and the console user who canceled it in the audit trail', async () => {
      const trail = (await drive.http.get(`/v1/envelopes/${apiEnvelopeId}/audit`).set(drive.auth()).expect(200)).body as { events: { type: string; actor: { kind: string; id?: string } }[] };
      const keyId = ((await t.db.query(`SELECT id FROM api_key WHERE organisation_id = $1`, [acme.id])) as { id: string }[])[0].id;
      expect(trail.events[0].actor).toEqual({ kind: 'api', id: keyId });

      const member = await consoleAgent(t, 'member@acme.kz');
      const created = await drive.create({ title: 'To cancel', documents: [await pdf('cancel')], signers: signers([IINS[5]]), send: true });
      await member.agent.post(`/console/envelopes/${created.id}/cancel`).type('form').send({ _csrf: member.csrf, reason: 'Wrong counterparty' }).expect(303);
      const memberId = ((await t.db.query(`SELECT id FROM org_user WHERE email = 'member@acme.kz'`)) as { id: string }[])[0].id;
      const after = (await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200)).body as { events: { type: string; actor: { kind: string; id?: string }; data: { event?: { reason?: string } } }[] };
      const cancel = after.events.filter((e) => e.actor.kind === 'user');
      expect(cancel.length).toBeGreaterThan(0);
      expect(cancel.every((e) => e.actor.id === memberId)).toBe(true);
      const page = await member.agent.get(`/console/envelopes/${created.id}?lang=en`).expect(200);
      expect(page.text).toContain('data-status="CANCELED"');
      expect(page.text).toContain('member@acme.kz');
    });

    it('refuses a form without its CSRF token (403), a viewer cancelling (403), and another organisation’s envelope (404)', async () => {
      const viewer = await consoleAgent(t, 'viewer@acme.kz');
      const member = await consoleAgent(t, 'member@acme.kz');
      await member.agent.post(`/console/envelopes/${apiEnvelopeId}/cancel`).type('form').send({ reason: 'no token' }).expect(403);
      await member.agent.post(`/console/envelopes/${apiEnvelopeId}/cancel`).type('form').send({ _csrf: viewer.csrf, reason: 'someone else’s token' }).expect(403);
      const refused = await viewer.agent.post(`/console/envelopes/${apiEnvelopeId}/cancel`).type('form').send({ _csrf: viewer.csrf, reason: 'viewer' }).expect(403);
      expect(refused.text).toContain('member');
      const detail = await viewer.agent.get(`/console/envelopes/${apiEnvelopeId}`).expect(200);
      expect(detail.text).not.toContain('data-action="cancel"');
      expect((await drive.get(apiEnvelopeId)).status).toBe('IN_PROGRESS');

      const foreign = await otherDrive.create({ title: 'Other org contract', documents: [await pdf('other')], signers: signers([IINS[6]]), send: true });
      await member.agent.get(`/console/envelopes/${foreign.id}`).expect(404);
      await member.agent.get(`/console/envelopes/${foreign.id}/evidence.zip`).expect(404);
      await member.agent.post(`/console/envelopes/${foreign.id}/cancel`).type('form').send({ _csrf: member.csrf, reason: 'not mine' }).expect(404);
      const list = await member.agent.get('/console/envelopes?q=Other').expect(200);
      expect(list.text).not.toContain('Other org contract');
      expect((await otherDrive.get(foreign.id)).status).toBe('IN_PROGRESS');
    });

    it('creates and sends an envelope from the form, shows signers, certificate names, the timeline and downloads', async () => {
      const member = await consoleAgent(t, 'member@acme.kz');
      const people = signers(IINS.slice(0, 3));
      const res = await member.agent
        .post('/console/envelopes')
        .field('_csrf', member.csrf)
        .field('title', 'Console supply contract')
        .field('signerName', people[0].fullName)
        .field('signerIin', people[0].iin)
        .field('signerPhone', people[0].phone)
        .field('signerOrder', '1')
        .field('signerName', 'Иванова Анна Петровна')
        .field('signerIin', people[1].iin)
        .field('signerPhone', people[1].phone)
        .field('signerOrder', '2')
        .field('signerName', '')
        .field('signerIin', '')
        .field('signerPhone', '')
        .field('signerOrder', '3')
        .field('language', 'en')
        .field('send', 'true')
        .attach('files', await makePdf('Console supply contract'), 'договор.pdf')
        .expect(303);
      const id = /\/console\/envelopes\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1];
      // The register's names for the two people: the first as typed (patronymic left out), the second another person.
      const sandboxKey = await drive.providerKey();
      await drive.http.put(`/sandbox/automation/persons/${people[0].iin}`).set('x-api-key', sandboxKey).send({ surname: people[0].fullName.split(' ')[0], givenName: people[0].fullName.split(' ')[1], patronymic: 'Серікұлы' }).expect(200);
      await drive.http.put(`/sandbox/automation/persons/${people[1].iin}`).set('x-api-key', sandboxKey).send({ surname: 'Иванова', givenName: 'Мария' }).expect(200);
      const created = await drive.get(id);
      expect(created.status).toBe('IN_PROGRESS');
      expect(created.signers.map((s) => s.fullName)).toEqual([people[0].fullName, 'Иванова Анна Петровна']);
      expect((created as unknown as { documents: { name: string }[] }).documents[0].name).toBe('договор.pdf');

      await signAll(drive, id, 2);
      const page = await member.agent.get(`/console/envelopes/${id}?lang=en`).expect(200);
      expect(page.text).toContain('data-status="COMPLETED"');
      expect(page.text).toContain('data-chain-valid="true"');
      expect(page.text).toContain('data-event="envelope.created"');
      expect(page.text).toContain('member@acme.kz');
      // The certificate of the second signer names Мария, not the Анна the sender typed: flagged, the first not.
      expect(page.text.match(/data-name-differs/g)).toHaveLength(1);
      expect(page.text).toMatch(/ИВАНОВА МАРИЯ<\/span><br><small>IIN \d{12}<\/small> <span class="flag" data-name-differs>/);
      expect(page.text).toContain('data-certificate-name');

      const zip = await member.agent.get(`/console/envelopes/${id}/evidence.zip`).buffer(true).parse(binaryParser).expect(200);
      expect(Object.keys(unzipSync(zip.body as Buffer))).toContain('certificate-of-completion.pdf');
      const certificate = await member.agent.get(`/console/envelopes/${id}/certificate.pdf`).buffer(true).parse(binaryParser).expect(200);
      expect((certificate.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      const documentId = /documents\/([0-9a-f-]{36})\/signed/.exec(page.text)![1];
      const cms = await member.agent.get(`/console/envelopes/${id}/documents/${documentId}/signed`).buffer(true).parse(binaryParser).expect(200);
      expect(cms.body).toEqual(await drive.signedCms(id, documentId));
    }, 180_000);

    it('shows the create form again with the reason when the form is wrong, creating nothing', async () => {
      const member = await consoleAgent(t, 'member@acme.kz');
      const before = ((await t.db.query(`SELECT count(*)::int AS n FROM envelope`)) as { n: number }[])[0].n;
      const res = await member.agent
        .post('/console/envelopes')
        .field('_csrf', member.csrf)
        .field('title', 'Bad IIN')
        .field('signerName', 'Someone')
        .field('signerIin', '123456789012')
        .field('signerPhone', '+7 701 000 00 00')
        .attach('files', await makePdf('x'), 'x.pdf')
        .expect(400);
      expect(res.text).toContain('IIN');
      expect(((await t.db.query(`SELECT count(*)::int AS n FROM envelope`)) as { n: number }[])[0].n).toBe(before);
      await member.agent.post('/console/envelopes').attach('files', await makePdf('x'), 'x.pdf').field('title', 'no token').expect(403);
    });
  });

  it('lets an admin create and revoke API keys (shown once), and keeps viewers out of settings', async () => {
    await createConsoleUser(t, acme.id, 'admin@acme.kz', 'admin');
    const admin = await consoleAgent(t, 'admin@acme.kz');
    const res = await admin.agent.post('/console/settings/api-keys').type('form').send({ _csrf: admin.csrf, label: 'erp' }).expect(201);
    const key = /data-new-key>([^<]+)</.exec(res.text)![1];
    await request(t.app.getHttpServer()).get('/v1/envelopes').set('Authorization', `Bearer ${key}`).expect(200);
    const page = await admin.agent.get('/console/settings').expect(200);
    expect(page.text).not.toContain(key);
    expect(page.text).not.toContain('data-invitation');
    const keyId = /data-key-id="([^"]+)"><td><code>[^<]+<\/code><\/td><td>erp</.exec(page.text)![1];
    await admin.agent.post(`/console/settings/api-keys/${keyId}/revoke`).type('form').send({ _csrf: admin.csrf }).expect(303);
    await request(t.app.getHttpServer()).get('/v1/envelopes').set('Authorization', `Bearer ${key}`).expect(401);
    const viewer = await consoleAgent(t, 'viewer@acme.kz');
    await viewer.agent.get('/console/settings').expect(403);
    expect(ownerId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
