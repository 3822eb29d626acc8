import fontkit from '@pdf-lib/fontkit';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument, rgb } from 'pdf-lib';
import { signDetachedCms } from '../../../cms/sign-detached.js';
import type { Signer as CmsSigner } from '../../domain/cms-sign.js';
import { maskIin } from '../../../common/domain/pii-mask.js';

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
    return Buffer.from(await signDetachedCms(content, this.signer, { signingCertificateV2: true }));
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
