import { GOST_CURVES, gostPublicKey, gostVerify, type GostCurve } from './gost3410.js';
import { gostSignDigest, testGostKey } from '../testing/gost-signer.js';

const h = (hex: string) => BigInt(`0x${hex}`);

/** GOST R 34.10-2012 appendix A = RFC 7091 section 7: key, digest integer e, nonce k and signature (r, s). */
const EXAMPLES = [
  {
    name: 'example 1 (256-bit)',
    curve: GOST_CURVES.test256,
    d: h('7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28'),
    x: h('7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B'),
    y: h('26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA'),
    e: h('2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5'),
    k: h('77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3'),
    r: h('41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493'),
    s: h('01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40'),
  },
  {
    name: 'example 2 (512-bit)',
    curve: GOST_CURVES.test512,
    d: h('0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4'),
    x: h('115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1'),
    y: h('37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC'),
    e: h('3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C'),
    k: h('0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1'),
    r: h('2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36'),
    s: h('1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A'),
  },
];

describe('GOST R 34.10-2012 verification (RFC 7091 examples)', () => {
  it.each(EXAMPLES)('$name: the published signature verifies, and its key and signature are reproduced', (ex) => {
    const key = gostPublicKey(ex.curve, ex.x, ex.y)!;
    expect(key).not.toBeNull();
    expect(gostVerify(key, ex.e, ex.r, ex.s)).toBe(true);
    // The test signer reproduces the standard's numbers, so signatures it makes below are of the right form.
    const testKey = testGostKey(ex.curve, ex.d);
    expect([testKey.x, testKey.y]).toEqual([ex.x, ex.y]);
    expect(gostSignDigest(testKey, ex.e, ex.k)).toEqual({ r: ex.r, s: ex.s });
  });

  it.each(EXAMPLES)('$name: any change to the digest, r or s fails', (ex) => {
    const key = gostPublicKey(ex.curve, ex.x, ex.y)!;
    expect(gostVerify(key, ex.e + 1n, ex.r, ex.s)).toBe(false);
    expect(gostVerify(key, ex.e, ex.r + 1n, ex.s)).toBe(false);
    expect(gostVerify(key, ex.e, ex.r, ex.s ^ 1n)).toBe(false);
    expect(gostVerify(key, ex.e, ex.s, ex.r)).toBe(false);
  });

  it.each(EXAMPLES)('$name: r and s outside 1..q-1 fail without arithmetic surprises', (ex) => {
    const key = gostPublicKey(ex.curve, ex.x, ex.y)!;
    const { q } = ex.curve;
    for (const [r, s] of [
      [0n, ex.s],
      [ex.r, 0n],
      [q, ex.s],
      [ex.r, q],
      [ex.r + q, ex.s],
      [-ex.r, ex.s],
    ]) {
      expect(gostVerify(key, ex.e, r, s)).toBe(false);
    }
  });

  it('a digest integer that is 0 mod q counts as 1 (section 6.2 step 3)', () => {
    const ex = EXAMPLES[0];
    const key = testGostKey(ex.curve, ex.d);
    const { r, s } = gostSignDigest(key, 0n, ex.k);
    const pub = gostPublicKey(ex.curve, ex.x, ex.y)!;
    expect(gostVerify(pub, 0n, r, s)).toBe(true);
    expect(gostVerify(pub, ex.curve.q, r, s)).toBe(true);
    expect(gostVerify(pub, 1n, r, s)).toBe(true);
  });

  it('rejects public keys that are not points of the curve', () => {
    const ex = EXAMPLES[1];
    expect(gostPublicKey(ex.curve, ex.x, ex.y + 1n)).toBeNull();
    expect(gostPublicKey(ex.curve, ex.x + ex.curve.p, ex.y)).toBeNull();
    expect(gostPublicKey(ex.curve, -1n, ex.y)).toBeNull();
    expect(gostPublicKey(GOST_CURVES.tc26_512_A, ex.x, ex.y)).toBeNull();
  });

  const NCA_CURVES: GostCurve[] = [GOST_CURVES.tc26_256_A, GOST_CURVES.tc26_512_A, GOST_CURVES.cryptoProA];
  it.each(NCA_CURVES.map((c) => [c.name, c] as const))('%s: a key of the curve verifies its own signatures and no other digest', (_name, curve) => {
    const key = testGostKey(curve);
    const pub = gostPublicKey(curve, key.x, key.y)!;
    expect(pub).not.toBeNull();
    const alpha = 0x1234567890abcdefn;
    const { r, s } = gostSignDigest(key, alpha);
    expect(gostVerify(pub, alpha, r, s)).toBe(true);
    expect(gostVerify(pub, alpha + 1n, r, s)).toBe(false);
  });
});
