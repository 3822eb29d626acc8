import { createHash } from 'node:crypto';
import { SecretBox } from '../src/common/crypto/secret-box.js';
import { verifyCms } from '../src/cms/index.js';
import { ENVELOPE_EXPIRE_QUEUE } from '../src/envelopes/envelope-jobs.js';
import { RoundSweepService } from '../src/signing-rounds/round-sweep.service.js';
import { StartRoundService } from '../src/signing-rounds/start-round.service.js';
import { CheckRoundService } from '../src/signing-rounds/check-round.service.js';
import { stepRound } from '../src/signing-rounds/round-state.js';
import { SigningRound } from '../src/signing-rounds/signing-round.entity.js';
import { JobsService } from '../src/jobs/jobs.service.js';
import { Organisation } from '../src/organisations/organisation.entity.js';
import { signWebhook } from '../src/cloud-eds/webhook-signature.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver, until } from './support/signing.js';

async function envelopeBody(count: number, orders?: number[]) {
  return {
    title: 'Reliability',
    documents: [{ name: 'contract.pdf', contentBase64: (await makePdf()).toString('base64') }],
    signers: signers(IINS.slice(0, count), orders),
    send: true,
  };
}

async function webhookSecret(t: TestApp, organisationId: string): Promise<string> {
  const row = await t.db.getRepository(Organisation).createQueryBuilder('o').select(['o.id', 'o.providerWebhookSecretSealed']).where('o.id = :id', { id: organisationId }).getOneOrFail();
  return new SecretBox(t.config.secretsKey).open(row.providerWebhookSecretSealed!);
}

describe('envelopes: deadlines, provider webhooks, co-signing, faults', () => {
  let t: TestApp;
  let drive: SigningDriver;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '2' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Acme'));
  });
  afterAll(() => t.close());

  it('expires an envelope at its deadline; live sessions are left to die', async () => {
    const created = await drive.create(await envelopeBody(2));
    await drive.startSigning(created.signers[0].link!);
    await t.db.query(`UPDATE envelope SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    const jobs = t.app.get(JobsService);
    await jobs.send(undefined, ENVELOPE_EXPIRE_QUEUE, { organisationId: drive.organisation.id, envelopeId: created.id });
    jobs.wake(ENVELOPE_EXPIRE_QUEUE);
    const view = await drive.waitForStatus(created.id, 'EXPIRED');
    expect(view.signers[0].rounds[0].status).toBe('STARTED');
    await drive.http.post(`${drive.path(created.signers[0].link!)}/sign`).expect(409);
  });

  it('treats a provider session past its 30 minutes as expired even if nobody says so', async () => {
    const created = await drive.create(await envelopeBody(1));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    await t.db.query(`UPDATE signing_round SET expires_at = now() - interval '2 minutes' WHERE session_id = $1`, [sessionId]);
    // Nobody asks: the sweep (every ROUND_POLL_SECONDS) finds the round past its deadline.
    const view = await until(async () => {
      const v = await drive.get(created.id);
      return v.signers[0].rounds[0].status === 'CANCELED' ? v : undefined;
    }, 'the round to expire');
    expect(view.signers[0].rounds[0].failureReason).toBe('EXPIRED');
    const audit = await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
    expect(audit.body.events.find((e: { type: string; data: { to?: string } }) => e.type === 'round.status' && e.data.to === 'CANCELED').data.trigger).toBe('deadline');
    expect(view.signers[0].attempts).toBe(1);
    const second = await drive.startSigning(created.signers[0].link!);
    expect(second.sessionId).not.toBe(sessionId);
  });

  it('the sweep learns the outcome when no webhook gets through and the signer never comes back', async () => {
    const organisation = await createOrganisation(t, 'Unheard');
    const unheard = new SigningDriver(t, organisation);
    const created = await unheard.create(await envelopeBody(1));
    const { sessionId } = await unheard.startSigning(created.signers[0].link!);
    // The provider now signs its webhooks to this organisation (its account made by the first start) with
    // another secret: each fails its signature check, so only the sweep can learn the outcome.
    const [, changed] = await t.db.query(`UPDATE sandbox.organisation SET webhook_secret = 'not-the-secret-kezek-holds' WHERE webhook_url LIKE '%' || $1`, [organisation.id]);
    expect(changed).toBe(1);
    await unheard.complete(sessionId, { outcome: 'sign' });
    await unheard.waitForStatus(created.id, 'COMPLETED');
    const audit = await unheard.http.get(`/v1/envelopes/${created.id}/audit`).set(unheard.auth()).expect(200);
    const finished = audit.body.events.find((e: { type: string; data: { to?: string } }) => e.type === 'round.status' && e.data.to === 'FINISHED');
    expect(finished.data.trigger).toBe('poll');
  });

  it('two sweeps at once never claim the same round', async () => {
    const created = await drive.create(await envelopeBody(1));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    // This round is the only one due: every other open round of the suite was just checked.
    await t.db.query(`UPDATE signing_round SET last_checked_at = CASE WHEN session_id = $1 THEN now() - interval '1 hour' ELSE now() + interval '1 hour' END WHERE status IN ('STARTED', 'PROCESS')`, [sessionId]);
    const sweeps = t.app.get(RoundSweepService);
    const claimed = await Promise.all([sweeps.sweep(), sweeps.sweep(), sweeps.sweep()]);
    // Claimed once: by one of these three, or by the background sweep just before them (then 0 here).
    expect(claimed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    const [{ checked }] = await t.db.query(`SELECT last_checked_at BETWEEN now() - interval '1 minute' AND now() AS checked FROM signing_round WHERE session_id = $1`, [sessionId]);
    expect(checked).toBe(true);
    await t.db.query(`UPDATE signing_round SET last_checked_at = now() WHERE last_checked_at > now()`);
  });

  it('the sweep backs off from a round whose checks the provider failed to answer', async () => {
    const created = await drive.create(await envelopeBody(1));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    // Five failures in a row: asked again 32 s after the last try. Every other open round was just checked.
    const due = (secondsAgo: number) =>
      t.db.query(
        `UPDATE signing_round SET check_failures = CASE WHEN session_id = $1 THEN 5 ELSE 0 END,
                last_checked_at = CASE WHEN session_id = $1 THEN now() - make_interval(secs => $2) ELSE now() + interval '1 hour' END
          WHERE status IN ('STARTED', 'PROCESS')`,
        [sessionId, secondsAgo],
      );
    const sweeps = t.app.get(RoundSweepService);
    await due(20);
    expect(await sweeps.sweep()).toBe(0);
    await due(40);
    expect(await sweeps.sweep()).toBe(1);
    // The provider answered this time: the count starts again.
    const [{ check_failures: failures }] = await t.db.query(`SELECT check_failures FROM signing_round WHERE session_id = $1`, [sessionId]);
    expect(failures).toBe(0);
    await t.db.query(`UPDATE signing_round SET last_checked_at = now() WHERE last_checked_at > now()`);
  });

  it('checks a round started before uploads kept what the check needs, by reading the documents and the previous CMS', async () => {
    const created = await drive.create(await envelopeBody(2));
    for (const signer of created.signers) {
      const { sessionId } = await drive.startSigning(signer.link!);
      // As an earlier version stored it: only the ids and the input's hash.
      await t.db.query(
        `UPDATE signing_round SET uploads = (SELECT jsonb_agg(u - 'name' - 'originalSha256' - 'inputSignatures') FROM jsonb_array_elements(uploads) u) WHERE session_id = $1`,
        [sessionId],
      );
      await drive.complete(sessionId, { outcome: 'sign' });
      await until(async () => ((await drive.get(created.id)).signers.find((s) => s.id === signer.id)?.status === 'SIGNED' ? true : undefined), 'the signer to be SIGNED');
    }
    const view = await drive.waitForStatus(created.id, 'COMPLETED');
    expect(view.signers.map((s) => s.rounds.map((r) => [r.status, r.rejectionReason]))).toEqual([[['FINISHED', null]], [['FINISHED', null]]]);
  });

  it('a signer who signed but never came back keeps the signature when the link is used after 30 minutes', async () => {
    const created = await drive.create(await envelopeBody(2));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    await drive.complete(sessionId, { outcome: 'sign' });
    await t.db.query(`UPDATE signing_round SET expires_at = now() - interval '5 minutes' WHERE session_id = $1`, [sessionId]);
    // Pressing "Sign" again: the provider is asked first, and says FINISHED.
    const again = await drive.http.post(`${drive.path(created.signers[0].link!)}/sign`);
    expect([303, 409]).toContain(again.status);
    const view = await until(async () => {
      const v = await drive.get(created.id);
      return v.signers[0].status === 'SIGNED' ? v : undefined;
    }, 'the first signer to be SIGNED');
    expect(view.signers[0].rounds.map((r) => r.status)).toEqual(['FINISHED']);
    expect(view.signers[0].attempts).toBe(0);
    expect(view.signers[1].status).toBe('ACTIVE');
  });

  it('never replaces a session past its 30 minutes while the provider cannot say how it ended', async () => {
    const created = await drive.create(await envelopeBody(1));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    // From now on the provider cannot answer status requests (so no check, webhook-driven or not, learns anything).
    const key = await drive.providerKey();
    await drive.http.put('/sandbox/automation/faults').set('x-api-key', key).send({ failNext: { error: 'SERVICE_UNAVAILABLE', count: 1000, endpoint: 'status' } }).expect(200);
    await drive.complete(sessionId, { outcome: 'sign' });
    await t.db.query(`UPDATE signing_round SET expires_at = now() - interval '5 minutes' WHERE session_id = $1`, [sessionId]);
    try {
      const refused = await drive.http.post(`${drive.path(created.signers[0].link!)}/sign`);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('still being closed');
      const view = await drive.get(created.id);
      expect(view.signers[0].rounds.map((r) => r.status)).toEqual(['STARTED']);
      expect(view.signers[0].attempts).toBe(0);
    } finally {
      await drive.http.put('/sandbox/automation/faults').set('x-api-key', key).send({ failNext: null }).expect(200);
    }
    // Once the provider answers again, the signature it holds is collected.
    await drive.waitForStatus(created.id, 'COMPLETED');
  });

  it('opening the link and pressing Sign at the same time never fails', async () => {
    const created = await drive.create(await envelopeBody(1));
    const link = drive.path(created.signers[0].link!);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? drive.http.get(link) : drive.http.post(`${link}/sign`))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 303, 303, 303]);
    expect((await drive.get(created.id)).signers[0].rounds).toHaveLength(1);
  });

  it('a press that meets a transition holding the envelope waits for it, and reserves nothing once the envelope is over', async () => {
    const created = await drive.create(await envelopeBody(1));
    const link = drive.path(created.signers[0].link!);
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // As a cancel does: the envelope row locked and changed, not yet committed.
      await runner.query(`SELECT id FROM envelope WHERE id = $1 FOR UPDATE`, [created.id]);
      await runner.query(`UPDATE envelope SET status = 'CANCELED' WHERE id = $1`, [created.id]);
      const press = drive.http.post(`${link}/sign`).then((res) => res);
      // The press is waiting on the row lock (and has reserved nothing) until the transition commits.
      await until(async () => {
        const [{ waiting }] = await t.db.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`);
        return waiting > 0;
      }, 'the press to wait on the envelope lock');
      await runner.commitTransaction();
      const answer = await press;
      expect(answer.status).toBe(409);
      expect(answer.text).toContain('canceled');
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await t.db.query(`SELECT id FROM signing_round WHERE envelope_id = $1`, [created.id])).toEqual([]);
  });

  it("a press that waited for the transition completing the previous group uploads that group's CMS, not the original", async () => {
    const created = await drive.create(await envelopeBody(2));
    await drive.round(created.id, 0);
    const view = await drive.get(created.id);
    expect(view.signers[1].status).toBe('ACTIVE');
    const documentId = view.documents[0].id;
    const runner = t.db.createQueryRunner();
    await runner.connect();
    try {
      // As the group's transition looks to a press whose statement began just before it committed: the
      // previous group's CMS written under the envelope lock, not yet committed.
      await runner.query(`CREATE TEMP TABLE kept AS SELECT * FROM document_signature WHERE document_id = $1`, [documentId]);
      await runner.query(`DELETE FROM document_signature WHERE document_id = $1`, [documentId]);
      await runner.startTransaction();
      await runner.query(`SELECT id FROM envelope WHERE id = $1 FOR UPDATE`, [created.id]);
      await runner.query(`INSERT INTO document_signature SELECT * FROM kept`);
      await runner.query(`UPDATE envelope SET updated_at = now() WHERE id = $1`, [created.id]);
      const press = drive.http.post(`${drive.path(view.signers[1].link!)}/sign`).then((res) => res);
      await until(async () => {
        const [{ waiting }] = await t.db.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`);
        return waiting > 0;
      }, 'the press to wait on the envelope lock');
      await runner.commitTransaction();
      expect((await press).status).toBe(303);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    const [{ cms }] = (await t.db.query(`SELECT cms FROM document_signature WHERE document_id = $1`, [documentId])) as { cms: Buffer }[];
    const [{ uploads }] = (await t.db.query(`SELECT uploads FROM signing_round WHERE signer_id = $1`, [view.signers[1].id])) as { uploads: { inputSha256: string }[] }[];
    expect(uploads[0].inputSha256).toBe(createHash('sha256').update(cms).digest('hex'));
  });

  it('provider webhooks: a valid one triggers a status check; duplicates, replays and forgeries do nothing', async () => {
    const created = await drive.create(await envelopeBody(1));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    await drive.complete(sessionId, { outcome: 'sign' });
    const secret = await webhookSecret(t, drive.organisation.id);
    const body = JSON.stringify({ event: 'session.finished', session_id: sessionId, status: 'FINISHED', failure_reason: null, check_id: 'x', time: new Date().toISOString() });
    const now = String(Math.floor(Date.now() / 1000));
    const path = `/v1/provider-webhooks/cloud-eds/${drive.organisation.id}`;
    const send = (headers: Record<string, string>, payload = body) => drive.http.post(path).set('content-type', 'application/json').set(headers).send(payload);

    const forged = await send({ 'x-webhook-id': 'forged-1', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook('not-the-secret', now, body) });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('PROVIDER_WEBHOOK_SIGNATURE_INVALID');
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const replayed = await send({ 'x-webhook-id': 'old-1', 'x-webhook-timestamp': old, 'x-webhook-signature': signWebhook(secret, old, body) });
    expect(replayed.body.error.code).toBe('PROVIDER_WEBHOOK_STALE');
    const tampered = await send({ 'x-webhook-id': 'tampered-1', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook(secret, now, body) }, body.replace('FINISHED', 'CANCELED'));
    expect(tampered.status).toBe(401);

    const valid = await send({ 'x-webhook-id': 'hook-1', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook(secret, now, body) }).expect(202);
    expect(valid.body.result).toBe('accepted');
    const duplicate = await send({ 'x-webhook-id': 'hook-1', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook(secret, now, body) }).expect(202);
    expect(duplicate.body.result).toBe('duplicate');
    // The same signed body replayed under a fresh id (the id is not signed) is a duplicate too.
    const renamed = await send({ 'x-webhook-id': 'hook-2', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook(secret, now, body) }).expect(202);
    expect(renamed.body.result).toBe('duplicate');
    await drive.waitForStatus(created.id, 'COMPLETED');
    const ours = await t.db.query(`SELECT count(*)::int AS n FROM provider_webhook_receipt WHERE organisation_id = $1 AND webhook_id = encode(sha256($2::bytea), 'hex')`, [drive.organisation.id, Buffer.from(body)]);
    expect(ours[0].n).toBe(1);
  });

  it('co-signing mode: the sandbox adds signerInfos side by side and the chain still verifies', async () => {
    const other = new SigningDriver(t, await createOrganisation(t, 'Co-signers'));
    const created = await other.create(await envelopeBody(3, [1, 2, 2]));
    await other.http.patch('/sandbox/automation/organisation').set('x-api-key', await other.providerKey()).send({ mode: 'cosign' }).expect(200);
    for (const i of [0, 1, 2]) await other.round(created.id, i);
    const view = await other.waitForStatus(created.id, 'COMPLETED');
    const ca = (await other.http.get('/sandbox/ca.pem')).text;
    const report = await verifyCms(await other.signedCms(created.id, view.documents[0].id), { trustAnchors: [ca] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures).toHaveLength(3);
    expect(new Set(report.signatures.map((s) => s.depth))).toEqual(new Set([1]));
    expect(report.signatures[0].signer?.iin).toBe(IINS[0]);
  });

  it('every envelope completes while the provider answers 503 to a third of calls', async () => {
    const flaky = new SigningDriver(t, await createOrganisation(t, 'Flaky'));
    const first = await flaky.create(await envelopeBody(1));
    await flaky.http.put('/sandbox/automation/faults').set('x-api-key', await flaky.providerKey()).send({ unavailableRate: 0.33 }).expect(200);
    const envelopes = [first, await flaky.create(await envelopeBody(3)), await flaky.create(await envelopeBody(3))];
    for (const envelope of envelopes) {
      for (let i = 0; i < envelope.signers.length; i++) {
        // The previous signer's result may still be being fetched through the outage: wait for this turn.
        await until(async () => (await flaky.get(envelope.id)).signers[i].status === 'ACTIVE', `signer ${i} to become active`, 60_000);
        // A signer whose "Sign" press meets a provider outage sees a 503 page and presses again.
        await until(async () => {
          try {
            await flaky.round(envelope.id, i);
            return true;
          } catch (error) {
            if (String(error).includes('503')) return false;
            throw error;
          }
        }, 'a round through provider outages', 60_000);
      }
    }
    for (const envelope of envelopes) await flaky.waitForStatus(envelope.id, 'COMPLETED');
    await flaky.http.put('/sandbox/automation/faults').set('x-api-key', await flaky.providerKey()).send({ unavailableRate: 0 }).expect(200);
  });
});

describe('envelopes: the provider webhook alone', () => {
  it('learns the outcome from the sandbox webhook when the signer never comes back (polling off)', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' });
    try {
      const drive = new SigningDriver(t, await createOrganisation(t, 'Hooked'));
      const created = await drive.create(await envelopeBody(1));
      const { sessionId } = await drive.startSigning(created.signers[0].link!);
      await drive.complete(sessionId, { outcome: 'sign' });
      await drive.waitForStatus(created.id, 'COMPLETED');
      const audit = await drive.http.get(`/v1/envelopes/${created.id}/audit`).set(drive.auth()).expect(200);
      const finished = audit.body.events.find((e: { type: string; data: { to?: string } }) => e.type === 'round.status' && e.data.to === 'FINISHED');
      expect(finished.data.trigger).toBe('webhook');
    } finally {
      await t.close();
    }
  });

  it('a check that read the round STARTED while another took it to PROCESS still concludes it', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' });
    try {
      const organisation = await createOrganisation(t, 'Racing');
      const drive = new SigningDriver(t, organisation);
      const created = await drive.create(await envelopeBody(1));
      const { sessionId } = await drive.startSigning(created.signers[0].link!);
      // No webhook gets through (wrong secret) and polling is off: the checks below are the only ones.
      await t.db.query(`UPDATE sandbox.organisation SET webhook_secret = 'not-the-secret-kezek-holds' WHERE webhook_url LIKE '%' || $1`, [organisation.id]);
      const stale = await t.db.getRepository(SigningRound).findOneByOrFail({ sessionId });
      expect(stale.status).toBe('STARTED');
      // Another check saw the sign page opened and committed STARTED -> PROCESS after this one read the round.
      await t.db.transaction((manager) => stepRound(manager, Object.assign(new SigningRound(), stale), { type: 'SIGN_PAGE_OPENED' }));
      await drive.complete(sessionId, { outcome: 'sign' });
      await t.app.get(CheckRoundService).checkRound({ roundId: stale.id, trigger: 'return' }, { round: stale, signerIin: IINS[0] });
      expect((await t.db.getRepository(SigningRound).findOneByOrFail({ id: stale.id })).status).toBe('FINISHED');
      expect((await drive.get(created.id)).status).toBe('COMPLETED');
    } finally {
      await t.close();
    }
  });
});

describe('envelopes: a crash between commit and job', () => {
  it('a restart runs the committed job: the envelope finishes, nothing lost, no duplicate session', async () => {
    const database = await createTestDatabase();
    // First instance: queues jobs but runs none, standing in for a process killed right after its commits.
    const first = await startTestApp({ SANDBOX_ENABLED: 'true', JOBS_WORKERS_ENABLED: 'false', ROUND_POLL_SECONDS: '600' }, { database });
    const organisation = await createOrganisation(first, 'Crashy');
    let drive = new SigningDriver(first, organisation);
    const created = await drive.create(await envelopeBody(2));
    const { sessionId } = await drive.startSigning(created.signers[0].link!);
    await drive.complete(sessionId, { outcome: 'sign' });
    const secret = await webhookSecret(first, organisation.id);
    const body = JSON.stringify({ event: 'session.finished', session_id: sessionId, status: 'FINISHED' });
    const now = String(Math.floor(Date.now() / 1000));
    await drive.http
      .post(`/v1/provider-webhooks/cloud-eds/${organisation.id}`)
      .set({ 'content-type': 'application/json', 'x-webhook-id': 'crash-1', 'x-webhook-timestamp': now, 'x-webhook-signature': signWebhook(secret, now, body) })
      .send(body)
      .expect(202);
    expect((await drive.get(created.id)).signers[0].status).toBe('ACTIVE');
    await first.stop();

    const second = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' }, { database });
    try {
      drive = new SigningDriver(second, organisation);
      const progressed = await until(async () => {
        const view = await drive.get(created.id);
        return view.signers[1].status === 'ACTIVE' ? view : undefined;
      }, 'the pending round check to run after the restart');
      expect(progressed.signers[0].status).toBe('SIGNED');
      expect(progressed.signers[0].rounds).toHaveLength(1);
      await drive.round(created.id, 1);
      await drive.waitForStatus(created.id, 'COMPLETED');
    } finally {
      await second.close();
    }
  });
});

describe('envelopes: a crash while a round starts (provider calls run outside row locks)', () => {
  /**
   * A process killed at an exact point cannot be arranged here, so the point is simulated: the second
   * short transaction (recording the round STARTED) throws, leaving the database exactly as a crash right
   * after the provider answered would (a STARTING round with its session and uploads). The app is then
   * stopped and a second one started on the same database, as after a real restart.
   */
  it('a crash right after the provider answered: the next press reuses that session, never a second one', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' }, { database });
    const organisation = await createOrganisation(first, 'Crashy');
    let drive = new SigningDriver(first, organisation);
    const created = await drive.create(await envelopeBody(1));
    const link = drive.path(created.signers[0].link!);
    const starts = first.app.get(StartRoundService) as unknown as { complete: () => Promise<void> };
    starts.complete = async () => {
      throw new Error('simulated crash after the provider answered');
    };
    expect((await drive.http.post(`${link}/sign`)).status).toBe(500);
    const [reserved] = await first.db.query(`SELECT status, session_id, jsonb_array_length(uploads) AS uploads FROM signing_round`);
    expect(reserved).toMatchObject({ status: 'STARTING', uploads: 1 });
    expect(reserved.session_id).toEqual(expect.any(String));
    await first.stop();

    const second = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' }, { database });
    try {
      drive = new SigningDriver(second, organisation);
      const { sessionId, signUrl } = await drive.startSigning(created.signers[0].link!);
      expect(sessionId).toBe(reserved.session_id);
      const [{ count }] = await second.db.query(`SELECT count(*)::int AS count FROM sandbox.session WHERE iin = $1`, [IINS[0]]);
      expect(count).toBe(1);
      const view = await drive.get(created.id);
      expect(view.signers[0].rounds.map((r) => [r.status, r.sessionId])).toEqual([['STARTED', sessionId]]);
      // The provider's webhooks still go to the first instance's address: the signer's return page tells this one.
      const redirect = await drive.complete(sessionId, { outcome: 'sign' }, new URL(signUrl).searchParams.get('redirect_url') ?? undefined);
      await drive.http.get(drive.path(redirect)).expect(200);
      await drive.waitForStatus(created.id, 'COMPLETED');
    } finally {
      await second.close();
    }
  });

  it('a crash before the session was recorded: no new session until any it made is dead, then a fresh one', async () => {
    const t = await startTestApp({ SANDBOX_ENABLED: 'true', ROUND_POLL_SECONDS: '600' });
    try {
      const drive = new SigningDriver(t, await createOrganisation(t, 'Crashy'));
      const created = await drive.create(await envelopeBody(1));
      const link = drive.path(created.signers[0].link!);
      // What a process killed between its reservation and the provider's answer leaves behind.
      const signerId = created.signers[0].id;
      await t.db.query(
        `INSERT INTO signing_round (organisation_id, envelope_id, signer_id, attempt, routing_order, uploads, status, machine_state, machine_version, expires_at)
         VALUES ($1, $2, $3, 1, 1, '[]', 'STARTING', $4, 2, now() + interval '35 minutes')`,
        [drive.organisation.id, created.id, signerId, JSON.stringify({ value: 'STARTING', context: { signerId, failureReason: null, rejection: null } })],
      );
      const refused = await drive.http.post(`${link}/sign`);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('still being closed');
      // Past the reservation's deadline any session it made is dead: the reservation is released.
      await t.db.query(`UPDATE signing_round SET expires_at = now() - interval '2 minutes' WHERE status = 'STARTING'`);
      const { sessionId } = await drive.startSigning(created.signers[0].link!);
      const rounds = await t.db.query(`SELECT status, session_id FROM signing_round WHERE signer_id = $1 ORDER BY attempt`, [signerId]);
      expect(rounds).toEqual([{ status: 'RELEASED', session_id: null }, { status: 'STARTED', session_id: sessionId }]);
      await drive.complete(sessionId, { outcome: 'sign' });
      await drive.waitForStatus(created.id, 'COMPLETED');
    } finally {
      await t.close();
    }
  });
});
