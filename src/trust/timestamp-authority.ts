import * as asn1js from 'asn1js';
import { createHash, randomBytes } from 'node:crypto';
import * as pkijs from 'pkijs';
import { readTstInfo, type PkiHttpPort } from '../cms/index.js';

/** The TSA's answer could not be used; the message says why (never the answer's bytes). */
export class TimestampAuthorityError extends Error {}

const SHA256 = '2.16.840.1.101.3.4.2.1';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const MAX_RESPONSE_BYTES = 64 * 1024;

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * An RFC 3161 client: asks the TSA for a token over a signature value (SHA-256 imprint, a nonce, the TSA's
 * certificate included) and checks that the token answers this very request. Whether the TSA is trusted is
 * judged where the token is verified (the CMS core, against the trust anchors), not here.
 */
/**
 * The request's nonce from random bytes: a positive INTEGER in minimal DER. A first byte of 0x00 followed by
 * one below 0x80 is padding DER forbids, and TSAs refuse the request (OpenSSL: "illegal padding"), which
 * happened to 1 request in 256.
 */
export function requestNonce(random: Buffer): Buffer {
  const nonce = Buffer.from(random);
  nonce[0] = nonce[0] & 0x7f || 0x01;
  return nonce;
}

export class TimestampAuthority {
  constructor(
    readonly url: string,
    private readonly http: PkiHttpPort,
  ) {}

  /** The timestamp token (a ContentInfo, DER) over `data`. */
  async stamp(data: Uint8Array): Promise<Uint8Array> {
    const imprint = createHash('sha256').update(data).digest();
    const nonce = requestNonce(randomBytes(8));
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({ hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256, algorithmParams: new asn1js.Null() }), hashedMessage: new asn1js.OctetString({ valueHex: arrayBuffer(imprint) }) }),
      nonce: new asn1js.Integer({ valueHex: arrayBuffer(nonce) }),
      certReq: true,
    });
    const answer = await this.http.post(this.url, 'application/timestamp-query', new Uint8Array(request.toSchema().toBER(false)), MAX_RESPONSE_BYTES);
    let response: pkijs.TimeStampResp;
    try {
      response = pkijs.TimeStampResp.fromBER(arrayBuffer(answer));
    } catch (error) {
      throw new TimestampAuthorityError(`the TSA's answer is not a TimeStampResp (${(error as Error).message})`);
    }
    const status = response.status.status;
    // 0 granted, 1 grantedWithMods; anything else is a refusal.
    if (status !== 0 && status !== 1) throw new TimestampAuthorityError(`the TSA refused the request (PKIStatus ${status}${response.status.statusStrings?.length ? `: ${response.status.statusStrings.map((s) => s.valueBlock.value).join('; ')}` : ''})`);
    if (!response.timeStampToken) throw new TimestampAuthorityError('the TSA granted the request but sent no token');
    const token = new Uint8Array(response.timeStampToken.toSchema().toBER(false));
    const signedData = new pkijs.SignedData({ schema: response.timeStampToken.content });
    const eContent = signedData.encapContentInfo.eContent;
    if (signedData.encapContentInfo.eContentType !== TST_INFO || !eContent) throw new TimestampAuthorityError('the token carries no TSTInfo');
    const info = readTstInfo(new Uint8Array(eContent.getValue()));
    if (!Buffer.from(info.hashedMessage).equals(imprint)) throw new TimestampAuthorityError('the token timestamps something else (messageImprint differs)');
    if (info.nonceHex !== nonce.toString('hex').replace(/^(00)+(?=.)/, '')) throw new TimestampAuthorityError('the token does not answer our nonce');
    return token;
  }
}
