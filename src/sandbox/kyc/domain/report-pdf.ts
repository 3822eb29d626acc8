import { createHash, webcrypto } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDocument, rgb } from 'pdf-lib';
import * as pkijs from 'pkijs';
import type { Signer as CmsSigner } from '../../domain/cms-sign.js';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A CAdES-detached signer for @signpdf: SignedData over the PDF's byte ranges with the signed attributes
 * PAdES baseline asks for (content type, message digest, signing-certificate-v2; no signing-time, which
 * PAdES takes from the signature dictionary). @signpdf handles the placeholder and byte ranges; the CMS is
 * made with pkijs because the sandbox's keys are WebCrypto keys, not a P12.
 */
export class PadesCmsSigner extends Signer {
  constructor(private readonly signer: CmsSigner) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const certificate = pkijs.Certificate.fromBER(toBuffer(this.signer.certificateDer));
    const certHash = createHash('sha256').update(this.signer.certificateDer).digest();
    const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toBuffer(certHash) })] })] })] });
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() })],
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256, algorithmParams: new asn1js.Null() }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_DATA })] }),
              new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: toBuffer(createHash('sha256').update(content).digest()) })] }),
              new pkijs.Attribute({ type: OID_SIGNING_CERTIFICATE_V2, values: [signingCertificateV2] }),
            ],
          }),
        }),
      ],
      certificates: [certificate],
    });
    await signedData.sign(this.signer.privateKey as never, 0, 'SHA-256', toBuffer(content));
    const contentInfo = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER(false));
  }
}

export interface ReportInput {
  sessionId: string;
  technology: string;
  technologyName: string;
  iin: string;
  passed: boolean;
  prediction: number;
  failureReason: string | null;
  reference?: string | null;
  completedAt: Date;
  generatedAt: Date;
}

function maskIin(iin: string): string {
  return `${iin.slice(0, 4)}••••${iin.slice(8)}`;
}

/** The report of one technology: a one-page PDF, signed (PAdES, ETSI.CAdES.detached) by the report key. */
export async function signedTechnologyReport(input: ReportInput, signer: CmsSigner, fontBytes: Uint8Array): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(fontBytes, { subset: true });
  const page = pdf.addPage([595, 842]);
  const grey = rgb(0.35, 0.37, 0.42);
  let y = 780;
  const line = (text: string, size = 11, color = rgb(0.1, 0.1, 0.12)) => {
    page.drawText(text, { x: 56, y, size, font, color });
    y -= size + 9;
  };
  line('Kezek Sandbox · отчёт о прохождении технологии', 16);
  line('Technology report (sandbox: no legal effect)', 11, grey);
  y -= 10;
  line(`Технология / Technology: ${input.technologyName} (${input.technology})`);
  line(`Сессия / Session: ${input.sessionId}`);
  line(`ИИН / IIN: ${maskIin(input.iin)}`);
  line(`Результат / Result: ${input.passed ? 'пройдено / passed' : 'не пройдено / failed'}`);
  line(`Оценка / Score: ${(input.prediction * 100).toFixed(1)} %`);
  if (input.failureReason) line(`Причина / Reason: ${input.failureReason}`);
  if (input.reference) line(`Эталон / Reference: ${input.reference}`);
  line(`Завершено / Completed: ${input.completedAt.toISOString()}`);
  line(`Сформировано / Generated: ${input.generatedAt.toISOString()}`);
  pdf.setTitle(`${input.technologyName} report ${input.sessionId}`);
  pdf.setProducer('Kezek Sandbox');
  pdflibAddPlaceholder({
    pdfDoc: pdf,
    reason: `${input.technologyName} report`,
    contactInfo: 'sandbox',
    name: 'Kezek Sandbox KYC',
    location: 'KZ',
    signingTime: input.generatedAt,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: 8192,
  });
  const unsigned = Buffer.from(await pdf.save({ useObjectStreams: false }));
  return new Uint8Array(await new SignPdf().sign(unsigned, new PadesCmsSigner(signer), input.generatedAt));
}
