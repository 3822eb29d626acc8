import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditService, type AuditEntry } from '../src/audit/audit.service.js';
import { chainHash, verifyChain } from '../src/audit/domain/audit-chain.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';

describe('audit trail: append-only, hash-chained per envelope', () => {
  let t: TestApp;
  let audit: AuditService;
  let acme: { id: string; key: string };
  let globex: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp();
    audit = t.app.get(AuditService);
    acme = await createOrganisation(t, 'Acme');
    globex = await createOrganisation(t, 'Globex');
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  const trail = (envelopeId: string, key = acme.key) => http().get(`/v1/envelopes/${envelopeId}/audit`).set('Authorization', `Bearer ${key}`);
  const append = (entry: Omit<AuditEntry, 'organisationId'> & { organisationId?: string }) =>
    t.db.transaction((manager) => audit.append(manager, { organisationId: acme.id, ...entry }));

  async function envelopeWithEvents(count: number): Promise<string> {
    const envelopeId = randomUUID();
    await append({ envelopeId, type: 'envelope.created', actor: { kind: 'api', id: 'key-1' }, ip: '203.0.113.7', userAgent: 'curl/8.5', data: { title: 'Lease', signers: [{ iin: '900101300123', phone: '77011234567' }] } });
    for (let i = 2; i <= count; i++) {
      await append({ envelopeId, type: 'signer.link_opened', actor: { kind: 'signer', id: `s-${i}` }, ip: '198.51.100.4', userAgent: 'Mozilla/5.0', data: { n: i } });
    }
    return envelopeId;
  }

  it('returns the trail in order with a valid chain, actor, ip, user agent and full data', async () => {
    const envelopeId = await envelopeWithEvents(3);
    const res = await trail(envelopeId).expect(200);
    expect(res.body).toMatchObject({ envelopeId, chainValid: true });
    expect(res.body.firstInvalidSeq).toBeUndefined();
    expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(res.body.events[0]).toMatchObject({
      type: 'envelope.created',
      actor: { kind: 'api', id: 'key-1' },
      ip: '203.0.113.7',
      userAgent: 'curl/8.5',
      data: { title: 'Lease', signers: [{ iin: '900101300123', phone: '77011234567' }] },
      prevHash: '0'.repeat(64),
    });
    expect(res.body.events[1].prevHash).toBe(res.body.events[0].hash);
    expect(res.body.headHash).toBe(res.body.events[2].hash);
    // An exported trail verifies offline with the same pure functions.
    expect(verifyChain(res.body.events).valid).toBe(true);
  });

  it("answers 404 for another organisation's envelope and for an envelope without events", async () => {
    const envelopeId = await envelopeWithEvents(1);
    const foreign = await trail(envelopeId, globex.key).expect(404);
    expect(foreign.body.error.code).toBe('AUDIT_TRAIL_NOT_FOUND');
    await trail(randomUUID()).expect(404);
    const bad = await trail('not-a-uuid').expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const envelopeId = randomUUID();
    await expect(
      t.db.transaction(async (manager) => {
        await audit.append(manager, { organisationId: acme.id, envelopeId, type: 'envelope.sent', actor: { kind: 'api' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await trail(envelopeId).expect(404);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(audit.append(t.db.manager, { organisationId: acme.id, envelopeId: randomUUID(), type: 'x', actor: { kind: 'system' } })).rejects.toThrow(/transaction/);
  });

  it('serialises concurrent appends to one envelope into one gapless chain', async () => {
    const envelopeId = randomUUID();
    await Promise.all(Array.from({ length: 12 }, (_, i) => append({ envelopeId, type: 'provider.call', actor: { kind: 'system' }, data: { i } })));
    const res = await trail(envelopeId).expect(200);
    expect(res.body.chainValid).toBe(true);
    expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('writes a batch in one statement, its events consecutive and in order, all or none against concurrent appenders', async () => {
    const envelopeId = randomUUID();
    const statements: string[] = [];
    const batchOf3 = (k: number, spy = false) =>
      t.db.transaction((manager) =>
        audit.batch(manager, async () => {
          if (spy) {
            // Every statement of this transaction's runner (made for this transaction, released after it).
            const runner = manager.queryRunner!;
            const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
            runner.query = ((...args: unknown[]) => {
              statements.push(String(args[0]));
              return query(...args);
            }) as typeof runner.query;
          }
          for (let i = 0; i < 3; i++) await audit.append(manager, { organisationId: acme.id, envelopeId, type: 'note.added', actor: { kind: 'system' }, data: { k, i } });
          // Held until here: the others read the same newest event meanwhile, and meet on its next seq.
          await new Promise((resolve) => setTimeout(resolve, (k * 7) % 20));
        }),
      );
    await batchOf3(0, true);
    expect(statements.filter((text) => text.includes('INSERT INTO audit_event'))).toHaveLength(1);
    await Promise.all([
      ...Array.from({ length: 8 }, (_, k) => batchOf3(k + 1)),
      ...Array.from({ length: 8 }, (_, i) => append({ envelopeId, type: 'provider.call', actor: { kind: 'system' }, data: { i } })),
    ]);
    const res = await trail(envelopeId).expect(200);
    expect(res.body.chainValid).toBe(true);
    const events = res.body.events as { seq: number; type: string; data: { k?: number; i: number } }[];
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    for (let k = 0; k <= 8; k++) {
      const mine = events.filter((e) => e.type === 'note.added' && e.data.k === k);
      expect(mine.map((e) => e.data.i)).toEqual([0, 1, 2]);
      expect(mine.map((e) => e.seq)).toEqual([mine[0].seq, mine[0].seq + 1, mine[0].seq + 2]);
    }
  });

  it('writes a change and the events that record it in one statement: both or neither, tried again past concurrent appenders', async () => {
    const envelopeId = randomUUID();
    // The change: a provider webhook receipt, kept once per key (as the webhook receiver does).
    const receive = (key: string) =>
      audit.appendWithChange<{ fresh: boolean }>([{ organisationId: acme.id, envelopeId, type: 'provider.webhook_received', actor: { kind: 'provider', id: 's' }, data: { key } }], {
        ctes: `receipt AS (INSERT INTO provider_webhook_receipt (organisation_id, webhook_id, session_id) VALUES ($5, $6, 's') ON CONFLICT DO NOTHING RETURNING webhook_id)`,
        decidedBy: 'receipt',
        select: 'EXISTS (SELECT 1 FROM receipt) AS fresh',
        params: [acme.id, key],
      });
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.all([
      ...keys.map(receive),
      ...keys.slice(0, 4).map(receive), // duplicates: no second receipt, no second event
      ...Array.from({ length: 6 }, (_, i) => append({ envelopeId, type: 'provider.call', actor: { kind: 'system' }, data: { i } })),
    ]);
    expect(results.slice(0, 14).filter((result) => (result as { fresh: boolean }).fresh)).toHaveLength(10);
    const res = await trail(envelopeId).expect(200);
    expect(res.body.chainValid).toBe(true);
    const events = res.body.events as { seq: number; type: string; data: { key?: string } }[];
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'provider.webhook_received').map((e) => e.data.key).sort()).toEqual([...keys].sort());
    const [{ n }] = (await t.db.query(`SELECT count(*)::int AS n FROM provider_webhook_receipt WHERE webhook_id = ANY($1)`, [keys])) as { n: number }[];
    expect(n).toBe(10);
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database level', async () => {
    const envelopeId = await envelopeWithEvents(2);
    await expect(t.db.query(`UPDATE audit_event SET data = '{"title":"Forged"}' WHERE envelope_id = $1`, [envelopeId])).rejects.toThrow(
      'audit_event is append-only: UPDATE is not allowed',
    );
    await expect(t.db.query(`DELETE FROM audit_event WHERE envelope_id = $1 AND seq = 2`, [envelopeId])).rejects.toThrow(
      'audit_event is append-only: DELETE is not allowed',
    );
    await expect(t.db.query(`TRUNCATE audit_event`)).rejects.toThrow('audit_event is append-only: TRUNCATE is not allowed');
    const res = await trail(envelopeId).expect(200);
    expect(res.body.events).toHaveLength(2);
    expect(res.body.chainValid).toBe(true);
  });

  describe('with the trigger bypassed by a superuser', () => {
    async function tamper(sql: string, params: unknown[]): Promise<void> {
      await t.db.transaction(async (manager) => {
        await manager.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete`);
        await manager.query(sql, params);
        await manager.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete`);
      });
    }

    it('reports an altered row with the first invalid seq', async () => {
      const envelopeId = await envelopeWithEvents(4);
      await tamper(`UPDATE audit_event SET ip = '10.9.9.9' WHERE envelope_id = $1 AND seq = 2`, [envelopeId]);
      const res = await trail(envelopeId).expect(200);
      expect(res.body).toMatchObject({ chainValid: false, firstInvalidSeq: 2 });
      expect(res.body.invalidReason).toMatch(/seq 2/);
    });

    it('reports a removed row', async () => {
      const envelopeId = await envelopeWithEvents(4);
      await tamper(`DELETE FROM audit_event WHERE envelope_id = $1 AND seq = 3`, [envelopeId]);
      const res = await trail(envelopeId).expect(200);
      expect(res.body).toMatchObject({ chainValid: false, firstInvalidSeq: 3 });
    });

    it('reports a row whose hash was recomputed after editing, where the next row no longer links to it', async () => {
      const envelopeId = await envelopeWithEvents(3);
      const before = (await trail(envelopeId).expect(200)).body.events[1];
      const forged = { ...before, data: { n: 99 } };
      await tamper(`UPDATE audit_event SET data = $2, hash = $3 WHERE envelope_id = $1 AND seq = 2`, [envelopeId, forged.data, chainHash(before.prevHash, forged)]);
      const res = await trail(envelopeId).expect(200);
      expect(res.body.events[1].data).toEqual({ n: 99 });
      expect(res.body).toMatchObject({ chainValid: false, firstInvalidSeq: 3 });
    });
  });
});
