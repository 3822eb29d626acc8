import { jest } from '@jest/globals';
import { unzipSync } from 'fflate';
import { AuditService } from '../src/audit/audit.service.js';
import { verifyChain, type ChainedAuditEvent } from '../src/audit/domain/audit-chain.js';
import { createOrganisation, startTestApp, type TestApp } from './support/app.js';
import { IINS, makePdf } from './support/documents.js';
import { signers, SigningDriver } from './support/signing.js';
import { binaryParser } from './support/verification.js';

const EXTRA_EVENTS = 3000;

describe('audit and evidence reads on a long trail: paged, never whole', () => {
  let t: TestApp;
  let drive: SigningDriver;
  let envelopeId: string;
  let total: number;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_ENABLED: 'true' });
    drive = new SigningDriver(t, await createOrganisation(t, 'Long trail'));
    const pdf = await makePdf('Long trail');
    const created = await drive.create({ title: 'Long trail', documents: [{ name: 'contract.pdf', contentBase64: pdf.toString('base64') }], signers: signers(IINS.slice(0, 1)), send: true });
    envelopeId = created.id;
    const audit = t.app.get(AuditService);
    await t.db.transaction(async (manager) => {
      for (let i = 0; i < EXTRA_EVENTS; i++) {
        await audit.append(manager, { organisationId: drive.organisation.id, envelopeId, type: 'note.added', actor: { kind: 'system' }, data: { i } });
      }
    });
    total = (await audit.head(drive.organisation.id, envelopeId))!.seq;
  });
  afterAll(() => t?.close());

  const page = (query: Record<string, string>) => drive.http.get(`/v1/envelopes/${envelopeId}/audit`).query(query).set(drive.auth());

  it('pages through every event in order, once each, with the chain checked across pages', async () => {
    expect(total).toBeGreaterThan(EXTRA_EVENTS);
    const seen: ChainedAuditEvent[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = cursor ? { limit: '700', cursor } : { limit: '700' };
      const res: { body: { events: ChainedAuditEvent[]; chainValid: boolean; nextCursor: string | null } } = await page(query).expect(200);
      expect(res.body.events.length).toBeLessThanOrEqual(700);
      expect(res.body.chainValid).toBe(true);
      seen.push(...res.body.events);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(total / 700));
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(verifyChain(seen)).toMatchObject({ valid: true });
    const last = await page({}).expect(200);
    expect(last.body.headHash).toBe(seen[seen.length - 1].hash);
  });

  it('answers the first 500 events by default, caps the page at 1000, and refuses a cursor it did not issue', async () => {
    const first = await page({}).expect(200);
    expect(first.body.events).toHaveLength(500);
    expect(first.body.events[0].seq).toBe(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect((await page({ limit: '1000' }).expect(200)).body.events).toHaveLength(1000);
    const tooMany = await page({ limit: '1001' }).expect(400);
    expect(tooMany.body.error.code).toBe('VALIDATION_FAILED');
    const garbage = await page({ cursor: 'garbage' }).expect(400);
    expect(garbage.body.error.message).toMatch(/cursor/);
  });

  it('builds the evidence pack from pages of at most 1000 events, with the whole trail in order', async () => {
    const audit = t.app.get(AuditService);
    const pageCalls = jest.spyOn(audit, 'page');
    try {
      const res = await drive.http.get(`/v1/envelopes/${envelopeId}/evidence.zip`).set(drive.auth()).buffer(true).parse(binaryParser).expect(200);
      const files = unzipSync(new Uint8Array(res.body as Buffer));
      const trail = JSON.parse(new TextDecoder().decode(files['audit/audit-trail.json'])) as { headHash: string; events: ChainedAuditEvent[] };
      // The export itself is the newest event of the pack's trail.
      const exported = total + 1;
      expect(trail.events.map((e) => e.seq)).toEqual(Array.from({ length: exported }, (_, i) => i + 1));
      expect(trail.events.at(-1)!.type).toBe('evidence.exported');
      expect(verifyChain(trail.events)).toEqual({ valid: true, headHash: trail.headHash });
      expect(pageCalls).toHaveBeenCalledTimes(Math.ceil(exported / 1000));
      for (const [, , bounds] of pageCalls.mock.calls) expect(bounds.size).toBeLessThanOrEqual(1000);
    } finally {
      pageCalls.mockRestore();
    }
  });

  // Last: it leaves the trail broken.
  it('notices a tampered event on the page that holds it and on no other', async () => {
    await t.db.transaction(async (manager) => {
      await manager.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete`);
      await manager.query(`UPDATE audit_event SET ip = '10.9.9.9' WHERE envelope_id = $1 AND seq = 1500`, [envelopeId]);
      await manager.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete`);
    });
    // The cursor the API hands out after the page that ends at `seq`.
    const cursorAt = async (seq: number) => {
      const first = (await page({ limit: '1000' }).expect(200)).body;
      return (await page({ limit: String(seq - 1000), cursor: first.nextCursor }).expect(200)).body.nextCursor as string;
    };
    const holding = await page({ limit: '100', cursor: await cursorAt(1450) }).expect(200);
    expect(holding.body).toMatchObject({ chainValid: false, firstInvalidSeq: 1500 });
    const after = await page({ limit: '100', cursor: await cursorAt(1500) }).expect(200);
    expect(after.body.chainValid).toBe(true);
  });
});
