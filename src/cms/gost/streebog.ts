/**
 * GOST 34.11-2015 (Kazakhstan) = GOST R 34.11-2012 "Streebog" (RFC 6986), 256- and 512-bit outputs.
 *
 * Written here because no maintained JavaScript library offers it: @noble/hashes has no Streebog, and the
 * npm GOST packages (@wavesenterprise/crypto-gost-js, node-gost-crypto) are little-used ports without a
 * release cadence. Tested against the worked examples of RFC 6986 (section 10).
 *
 * Byte order: as every implementation and every CMS carries it (OpenSSL's GOST engine, Kalkan), the message
 * is a byte string processed in order and the digest is the state's bytes in memory order, least
 * significant first. RFC 6986 prints both as big numbers, most significant byte first: its examples read
 * reversed on both sides.
 *
 * The 512-bit state is held as sixteen 32-bit words (least significant first; Int32Array, so that V8 keeps
 * every value a small integer), and the S, P and L steps
 * are fused into eight 256-entry tables per output word (the usual "Ax" tables), computed once at load.
 */

/** The S-box π (RFC 6986 section 6.2). */
const PI = [
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77, 233, 119, 240, 219, 147, 46, 153, 186, 23, 54, 241, 187, 20, 205, 95, 193, 249, 24,
  101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79, 5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31, 235, 52, 44, 81, 234,
  200, 72, 171, 242, 42, 104, 162, 253, 58, 206, 204, 181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135, 21, 161, 150, 41, 16, 123, 154,
  199, 243, 145, 120, 111, 157, 158, 178, 177, 50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87, 223, 245, 36, 169, 62, 168, 67, 201,
  215, 121, 214, 246, 124, 34, 185, 3, 224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74, 167, 151, 96, 115, 30, 0, 98, 68, 26, 184,
  56, 130, 100, 159, 38, 65, 173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59, 7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228,
  136, 217, 231, 137, 225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97, 32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208, 190,
  229, 108, 82, 89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
];

/** The matrix A of the linear step l (RFC 6986 section 6.4): row i answers bit 63 - i of a 64-bit word. */
const A = [
  '8e20faa72ba0b470', '47107ddd9b505a38', 'ad08b0e0c3282d1c', 'd8045870ef14980e', '6c022c38f90a4c07', '3601161cf205268d', '1b8e0b0e798c13c8', '83478b07b2468764',
  'a011d380818e8f40', '5086e740ce47c920', '2843fd2067adea10', '14aff010bdd87508', '0ad97808d06cb404', '05e23c0468365a02', '8c711e02341b2d01', '46b60f011a83988e',
  '90dab52a387ae76f', '486dd4151c3dfdb9', '24b86a840e90f0d2', '125c354207487869', '092e94218d243cba', '8a174a9ec8121e5d', '4585254f64090fa0', 'accc9ca9328a8950',
  '9d4df05d5f661451', 'c0a878a0a1330aa6', '60543c50de970553', '302a1e286fc58ca7', '18150f14b9ec46dd', '0c84890ad27623e0', '0642ca05693b9f70', '0321658cba93c138',
  '86275df09ce8aaa8', '439da0784e745554', 'afc0503c273aa42a', 'd960281e9d1d5215', 'e230140fc0802984', '71180a8960409a42', 'b60c05ca30204d21', '5b068c651810a89e',
  '456c34887a3805b9', 'ac361a443d1c8cd2', '561b0d22900e4669', '2b838811480723ba', '9bcf4486248d9f5d', 'c3e9224312c8c1a0', 'effa11af0964ee50', 'f97d86d98a327728',
  'e4fa2054a80b329c', '727d102a548b194e', '39b008152acb8227', '9258048415eb419d', '492c024284fbaec0', 'aa16012142f35760', '550b8e9e21f7a530', 'a48b474f9ef5dc18',
  '70a6a56e2440598e', '3853dc371220a247', '1ca76e95091051ad', '0edd37c48a08a6d8', '07e095624504536c', '8d70c431ac02a736', 'c83862965601dd1b', '641c314b2b8ee083',
];

/** The iteration constants C1..C12 (RFC 6986 section 6.5), each as eight 64-bit words, least significant first. */
const C = [
  ['dd806559f2a64507', '05767436cc744d23', 'a2422a08a460d315', '4b7ce09192676901', '714eb88d7585c4fc', '2f6a76432e45d016', 'ebcb2f81c0657c1f', 'b1085bda1ecadae9'],
  ['e679047021b19bb7', '55dda21bd7cbcd56', '5cb561c2db0aa7ca', '9ab5176b12d69958', '61d55e0f16b50131', 'f3feea720a232b98', '4fe39d460f70b5d7', '6fa3b58aa99d2f1a'],
  ['991e96f50aba0ab2', 'c2b6f443867adb31', 'c1c93a376062db09', 'd3e20fe490359eb1', 'f2ea7514b1297b7b', '06f15e5f529c1f8b', '0a39fc286a3d8435', 'f574dcac2bce2fc7'],
  ['220cbebc84e3d12e', '3453eaa193e837f1', 'd8b71333935203be', 'a9d72c82ed03d675', '9d721cad685e353f', '488e857e335c3c7d', 'f948e1a05d71e4dd', 'ef1fdfb3e81566d2'],
  ['601758fd7c6cfe57', '7a56a27ea9ea63f5', 'dfff00b723271a16', 'bfcd1747253af5a3', '359e35d7800fffbd', '7f151c1f1686104a', '9a3f410c6ca92363', '4bea6bacad474799'],
  ['fa68407a46647d6e', 'bf71c57236904f35', '0af21f66c2bec6b6', 'cffaa6b71c9ab7b4', '187f9ab49af08ec6', '2d66c4f95142a46c', '6fa4c33b7a3039c0', 'ae4faeae1d3ad3d9'],
  ['8886564d3a14d493', '3517454ca23c4af3', '06476983284a0504', '0992abc52d822c37', 'd3473e33197a93c9', '399ec6c7e6bf87c9', '51ac86febf240954', 'f4c70e16eeaac5ec'],
  ['a47f0dd4bf02e71e', '36acc2355951a8d9', '69d18d2bd1a5c42f', 'f4892bcb929b0690', '89b4443b4ddbc49a', '4eb7f8719c36de1e', '03e7aa020c6e4141', '9b1f5b424d93c9a7'],
  ['7261445183235adb', '0e38dc92cb1f2a60', '7b2b8a9aa6079c54', '800a440bdbb2ceb1', '3cd955b7e00d0984', '3a7d3a1b25894224', '944c9ad8ec165fde', '378f5a541631229b'],
  ['74b4c7fb98459ced', '3698fad1153bb6c3', '7a1e6c303b7652f4', '9fe76702af69334b', '1fffe18a1b336103', '8941e71cff8a78db', '382ae548b2e4f3f3', 'abbedea680056f52'],
  ['6bcaa4cd81f32d1b', 'dea2594ac06fd85d', 'efbacd1d7d476e98', '8a1d71efea48b9ca', '2001802114846679', 'd8fa6bbbebab0761', '3002c6cd635afe94', '7bcd9ed0efc889fb'],
  ['48bc924af11bd720', 'faf417d5d9b21b99', 'e71da4aa88e12852', '5d80ef9d1891cc86', 'f82012d430219f9b', 'cda43c32bcdf1d77', 'd21380b00449b17a', '378ee767f11631ba'],
];

type State = Int32Array;

function words(hex64: readonly string[]): State {
  const out = new Int32Array(16);
  hex64.forEach((hex, w) => {
    out[2 * w] = Number.parseInt(hex.slice(8), 16) | 0;
    out[2 * w + 1] = Number.parseInt(hex.slice(0, 8), 16) | 0;
  });
  return out;
}

const ROUND_CONSTANTS = C.map(words);

/**
 * TABLE_LO/HI[k * 256 + b]: the l step applied to the word whose byte k is π(b) and whose other bytes are 0.
 * After the P step (a byte transpose), output word i gathers byte i of each input word k; l being linear,
 * LPS(x) word i = XOR over k of TABLE[k][byte i of x's word k].
 */
const TABLE_LO = new Int32Array(8 * 256);
const TABLE_HI = new Int32Array(8 * 256);
{
  const rowsLo = A.map((hex) => Number.parseInt(hex.slice(8), 16));
  const rowsHi = A.map((hex) => Number.parseInt(hex.slice(0, 8), 16));
  for (let k = 0; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      let lo = 0;
      let hi = 0;
      for (let t = 0; t < 8; t++) {
        if ((PI[b] >>> t) & 1) {
          const row = 63 - (8 * k + t);
          lo ^= rowsLo[row];
          hi ^= rowsHi[row];
        }
      }
      TABLE_LO[k * 256 + b] = lo;
      TABLE_HI[k * 256 + b] = hi;
    }
  }
}

const scratch = new Int32Array(16);

/** out = LPS(a XOR b); `out` may be `a` or `b`. */
function xlps(a: State, b: State, out: State): void {
  const t = scratch;
  for (let j = 0; j < 16; j++) t[j] = a[j] ^ b[j];
  // Unrolled over the eight input words: this loop is nearly all of Streebog's time.
  for (let i = 0; i < 8; i++) {
    const shift = (i & 3) << 3;
    const half = i >>> 2;
    const i0 = (t[half] >>> shift) & 0xff;
    const i1 = 256 | ((t[2 + half] >>> shift) & 0xff);
    const i2 = 512 | ((t[4 + half] >>> shift) & 0xff);
    const i3 = 768 | ((t[6 + half] >>> shift) & 0xff);
    const i4 = 1024 | ((t[8 + half] >>> shift) & 0xff);
    const i5 = 1280 | ((t[10 + half] >>> shift) & 0xff);
    const i6 = 1536 | ((t[12 + half] >>> shift) & 0xff);
    const i7 = 1792 | ((t[14 + half] >>> shift) & 0xff);
    out[2 * i] = TABLE_LO[i0] ^ TABLE_LO[i1] ^ TABLE_LO[i2] ^ TABLE_LO[i3] ^ TABLE_LO[i4] ^ TABLE_LO[i5] ^ TABLE_LO[i6] ^ TABLE_LO[i7];
    out[2 * i + 1] = TABLE_HI[i0] ^ TABLE_HI[i1] ^ TABLE_HI[i2] ^ TABLE_HI[i3] ^ TABLE_HI[i4] ^ TABLE_HI[i5] ^ TABLE_HI[i6] ^ TABLE_HI[i7];
  }
}

const key = new Int32Array(16);
const block = new Int32Array(16);

/** The compression g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m, in place on h. */
function compress(h: State, n: State, m: State): void {
  xlps(h, n, key);
  xlps(key, m, block);
  for (let i = 0; i < 11; i++) {
    xlps(key, ROUND_CONSTANTS[i], key);
    xlps(block, key, block);
  }
  xlps(key, ROUND_CONSTANTS[11], key);
  for (let j = 0; j < 16; j++) h[j] ^= block[j] ^ key[j] ^ m[j];
}

/** a = (a + b) mod 2^512. */
function add512(a: State, b: State): void {
  let carry = 0;
  for (let j = 0; j < 16; j++) {
    const sum = (a[j] >>> 0) + (b[j] >>> 0) + carry;
    a[j] = sum | 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

/** a = (a + small) mod 2^512 for small < 2^32. */
function addSmall(a: State, small: number): void {
  let carry = small;
  for (let j = 0; j < 16 && carry; j++) {
    const sum = (a[j] >>> 0) + carry;
    a[j] = sum | 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

const ZERO = new Int32Array(16);

export type StreebogSize = 256 | 512;

/** Incremental Streebog: `update` any number of times, then `digest` once. */
export class Streebog {
  private readonly h: State;
  private readonly n = new Int32Array(16);
  private readonly sigma = new Int32Array(16);
  private readonly m = new Int32Array(16);
  private readonly pending = new Uint8Array(64);
  private readonly pendingView = new DataView(this.pending.buffer);
  private pendingLength = 0;
  private done = false;

  constructor(readonly size: StreebogSize) {
    // The 256-bit variant starts from the vector of 0x01 bytes, the 512-bit one from zero.
    this.h = new Int32Array(16).fill(size === 256 ? 0x01010101 : 0);
  }

  update(data: Uint8Array): this {
    if (this.done) throw new Error('Streebog: digest already taken');
    let offset = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength < 64) return this;
      this.absorb(this.pendingView, 0);
      this.pendingLength = 0;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (; offset + 64 <= data.length; offset += 64) this.absorb(view, offset);
    if (offset < data.length) {
      this.pending.set(data.subarray(offset));
      this.pendingLength = data.length - offset;
    }
    return this;
  }

  digest(): Buffer {
    if (this.done) throw new Error('Streebog: digest already taken');
    this.done = true;
    const last = this.pending;
    last.fill(0, this.pendingLength);
    last[this.pendingLength] = 0x01;
    this.load(this.pendingView, 0);
    compress(this.h, this.n, this.m);
    addSmall(this.n, this.pendingLength * 8);
    add512(this.sigma, this.m);
    compress(this.h, ZERO, this.n);
    compress(this.h, ZERO, this.sigma);
    const out = Buffer.alloc(64);
    for (let j = 0; j < 16; j++) out.writeInt32LE(this.h[j], 4 * j);
    // The 256-bit digest is the most significant half: the last 32 bytes in memory order.
    return this.size === 512 ? out : out.subarray(32);
  }

  private load(view: DataView, offset: number): void {
    for (let j = 0; j < 16; j++) this.m[j] = view.getInt32(offset + 4 * j, true);
  }

  private absorb(view: DataView, offset: number): void {
    this.load(view, offset);
    compress(this.h, this.n, this.m);
    addSmall(this.n, 512);
    add512(this.sigma, this.m);
  }
}

/** Streebog of the concatenation of `segments`. */
export function streebog(size: StreebogSize, ...segments: readonly Uint8Array[]): Buffer {
  const hash = new Streebog(size);
  for (const segment of segments) hash.update(segment);
  return hash.digest();
}
