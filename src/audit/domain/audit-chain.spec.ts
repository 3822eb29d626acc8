import { createHash } from 'node:crypto';
import { canonicalAuditEvent, canonicalJson, canonicalJsonAroundSeq, chainHash, GENESIS_HASH, verifyChain, type AuditEventContent, type ChainedAuditEvent } from './audit-chain.js';

const ENVELOPE = '7b0c1e52-3f7a-4d55-9f3e-2b9a4c1d0e11';

function chain(contents: Omit<AuditEventContent, 'seq' | 'envelopeId'>[]): ChainedAuditEvent[] {
  let prevHash = GENESIS_HASH;
  return contents.map((content, index) => {
    const event = { ...content, envelopeId: ENVELOPE, seq: index + 1 };
    const hash = chainHash(prevHash, event);
    const chained = { ...event, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

const sample = () =>
  chain([
    { type: 'envelope.created', actor: { kind: 'api', id: 'key-1' }, ip: '203.0.113.7', userAgent: 'curl/8', data: { title: 'Lease' }, createdAt: '2026-01-05T10:00:00.000Z' },
    { type: 'signer.link_opened', actor: { kind: 'signer', id: 's-1' }, ip: '198.51.100.4', userAgent: 'Mozilla/5.0', data: {}, createdAt: '2026-01-05T10:05:00.000Z' },
    { type: 'signer.signed', actor: { kind: 'provider' }, ip: null, userAgent: null, data: { iin: '900101300123', documents: [1, 2] }, createdAt: '2026-01-05T10:06:00.000Z' },
    { type: 'envelope.completed', actor: { kind: 'system' }, ip: null, userAgent: null, data: { at: 3 }, createdAt: '2026-01-05T10:06:01.000Z' },
  ]);

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: 2 }], x: null } }, '{"z":{"x":null,"y":[3,{"c":2,"d":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[undefined, 1], '[null,1]'],
    ['line\n"quoted" é', '"line\\n\\"quoted\\" é"'],
    [1.5e-7, '1.5e-7'],
    [1e21, '1e+21'],
    [-0, '0'],
    [new Date('2026-01-05T10:00:00Z'), '"2026-01-05T10:00:00.000Z"'],
    [{ B: 1, a: 2, _: 3 }, '{"B":1,"_":3,"a":2}'],
  ])('%j → %s', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ one: 1, two: { b: true, a: false } })).toBe(canonicalJson({ two: { a: false, b: true }, one: 1 }));
  });

  it.each([NaN, Infinity, 10n, () => 1, Symbol('s')])('refuses %p', (value) => {
    expect(() => canonicalJson({ value })).toThrow(TypeError);
  });
});

describe('chainHash', () => {
  it('is sha256 over the previous hash followed by the canonical event', () => {
    const event: AuditEventContent = { envelopeId: ENVELOPE, seq: 1, type: 't', actor: { kind: 'system' }, ip: null, userAgent: null, data: { k: 'v' }, createdAt: '2026-01-05T10:00:00.000Z' };
    const canonical = `{"actor":{"kind":"system"},"createdAt":"2026-01-05T10:00:00.000Z","data":{"k":"v"},"envelopeId":"${ENVELOPE}","ip":null,"seq":1,"type":"t","userAgent":null}`;
    expect(chainHash(GENESIS_HASH, event)).toBe(createHash('sha256').update(GENESIS_HASH + canonical).digest('hex'));
  });

  it('treats a missing ip or user agent as null', () => {
    const base = { envelopeId: ENVELOPE, seq: 1, type: 't', actor: { kind: 'system' as const }, data: {}, createdAt: '2026-01-05T10:00:00.000Z' };
    expect(chainHash(GENESIS_HASH, { ...base, ip: undefined as unknown as null, userAgent: undefined as unknown as null })).toBe(
      chainHash(GENESIS_HASH, { ...base, ip: null, userAgent: null }),
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = sample();
    expect(verifyChain(events)).toEqual({ valid: true, headHash: events[3].hash });
  });

  it('accepts an empty trail', () => {
    expect(verifyChain([])).toEqual({ valid: true, headHash: null });
  });

  it.each<[string, (events: ChainedAuditEvent[]) => ChainedAuditEvent[], number]>([
    ['changed data', (e) => e.map((x) => (x.seq === 3 ? { ...x, data: { ...x.data, iin: '900101300124' } } : x)), 3],
    ['changed actor', (e) => e.map((x) => (x.seq === 2 ? { ...x, actor: { kind: 'api' } } : x)), 2],
    ['changed ip', (e) => e.map((x) => (x.seq === 1 ? { ...x, ip: '10.0.0.1' } : x)), 1],
    ['changed time', (e) => e.map((x) => (x.seq === 4 ? { ...x, createdAt: '2026-01-05T10:07:00.000Z' } : x)), 4],
    ['changed type', (e) => e.map((x) => (x.seq === 2 ? { ...x, type: 'signer.declined' } : x)), 2],
    ['removed event', (e) => e.filter((x) => x.seq !== 2), 2],
    ['removed first event', (e) => e.slice(1), 1],
    ['reordered events', (e) => [e[0], e[2], e[1], e[3]], 2],
    ['renumbered after removal', (e) => e.filter((x) => x.seq !== 2).map((x, i) => ({ ...x, seq: i + 1 })), 2],
    ['event of another envelope', (e) => e.map((x) => (x.seq === 3 ? { ...x, envelopeId: '00000000-0000-4000-8000-000000000000' } : x)), 3],
    ['hash replaced after editing', (e) => e.map((x) => (x.seq === 2 ? { ...x, data: { edited: true }, hash: chainHash(x.prevHash, { ...x, data: { edited: true } }) } : x)), 3],
  ])('detects %s', (_name, tamper, firstInvalidSeq) => {
    const result = verifyChain(tamper(sample()));
    expect(result.valid).toBe(false);
    expect(result.firstInvalidSeq).toBe(firstInvalidSeq);
    expect(result.reason).toEqual(expect.any(String));
  });

  it('cannot see the newest events removed (the head hash is for external anchoring)', () => {
    const events = sample();
    expect(verifyChain(events.slice(0, 3))).toEqual({ valid: true, headHash: events[2].hash });
  });
});

describe('canonicalJsonAroundSeq', () => {
  it.each([1, 9, 10, 12345])('puts seq %i exactly where canonicalJson does', (seq) => {
    for (const event of sample()) {
      const { before, after } = canonicalJsonAroundSeq(event);
      expect(before + String(seq) + after).toBe(canonicalJson(canonicalAuditEvent({ ...event, seq })));
    }
  });

  it('treats an absent ip and user agent as null, as the hash does', () => {
    const event = { envelopeId: ENVELOPE, type: 'x', actor: { kind: 'system' as const }, data: { seq: 7 }, createdAt: '2026-01-05T10:00:00.000Z' };
    const { before, after } = canonicalJsonAroundSeq(event as unknown as AuditEventContent);
    expect(before + '3' + after).toBe('{"actor":{"kind":"system"},"createdAt":"2026-01-05T10:00:00.000Z","data":{"seq":7},"envelopeId":"' + ENVELOPE + '","ip":null,"seq":3,"type":"x","userAgent":null}');
  });
});
