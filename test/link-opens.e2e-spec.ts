import request from 'supertest';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver } from './support/signing.js';

describe('signer link opens: recorded once per window, without locking the envelope', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('records 20 reloads as one open (one audit event, one webhook), and the next open after the window', async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', WEBHOOKS_ALLOW_PRIVATE: 'true', LINK_OPEN_WINDOW_SECONDS: '300' });
    const organisation = await createOrganisation(t, 'Opens');
    const drive = new SigningDriver(t, organisation);
    const http = () => request(t.app.getHttpServer());
    // Subscribed to link opens only; whether its deliveries succeed does not matter here, only how many are queued.
    await http().post('/v1/webhook-endpoints').set(drive.auth()).send({ url: 'http://127.0.0.1:9/opens', events: ['signer.link_opened'] }).expect(201);
    const pdf = await makePdf('Opens');
    const created = await drive.create({ title: 'Opens', documents: [{ name: 'contract.pdf', contentBase64: pdf.toString('base64') }], signers: signers(IINS.slice(0, 1)), send: true });
    const signer = created.signers[0];
    const link = drive.path(signer.link!);

    const counts = async () => {
      const [{ audit }] = await t.db.query(`SELECT count(*)::int AS audit FROM audit_event WHERE envelope_id = $1 AND type = 'signer.link_opened'`, [created.id]);
      const [{ webhooks }] = await t.db.query(`SELECT count(*)::int AS webhooks FROM webhook_delivery WHERE envelope_id = $1 AND event_type = 'signer.link_opened'`, [created.id]);
      return { audit, webhooks };
    };

    // The envelope row stays locked by another transaction all along: opening the link never waits for it.
    const other = t.db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT id FROM envelope WHERE id = $1 FOR UPDATE`, [created.id]);
    try {
      for (let i = 0; i < 10; i++) await http().get(link).expect(200);
      await Promise.all(Array.from({ length: 10 }, () => http().get(link).expect(200)));
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
    expect(await counts()).toEqual({ audit: 1, webhooks: 1 });
    const firstOpen = (await drive.get(created.id)).signers[0] as unknown as { lastOpenedAt: string };
    expect(firstOpen.lastOpenedAt).toEqual(expect.any(String));

    // The window passes (the recorded open is moved back rather than waiting 5 minutes): the next open counts.
    await t.db.query(`UPDATE signer SET last_opened_at = last_opened_at - interval '301 seconds' WHERE id = $1`, [signer.id]);
    await http().get(link).expect(200);
    await http().get(link).expect(200);
    expect(await counts()).toEqual({ audit: 2, webhooks: 2 });

    const trail = await http().get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
    expect(trail.body.chainValid).toBe(true);
    const opens = trail.body.events.filter((e: { type: string }) => e.type === 'signer.link_opened');
    expect(opens.map((e: { actor: { id: string } }) => e.actor.id)).toEqual([signer.id, signer.id]);
  });
});
