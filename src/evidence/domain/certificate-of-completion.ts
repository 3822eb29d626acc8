import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * The certificate of completion of an envelope: a PDF (pdf-lib) that a legal team can file and print.
 * It embeds DejaVu Sans, which covers Cyrillic and the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І), so names show as
 * written. Its Keywords metadata carry the envelope id and the audit chain's head hash, which
 * `kezek verify-evidence` compares with the pack's audit trail.
 */
export interface CertificateSigner {
  position: number;
  /** As the sender entered it. */
  fullName: string;
  /** Masked: `********0126`. */
  iin: string;
  routingOrder: number;
  status: string;
  /** One per document, from that document's final CMS. */
  signatures: { documentName: string; certificateName: string | null; serialNumber: string | null; issuer: string | null; signingTime: string | null }[];
  /** Provider sessions of the rounds that produced the accepted signatures. */
  sessionIds: string[];
  linkOpens: { at: string; ip: string | null; userAgent: string | null }[];
  /** Later opens left out of the certificate (all are in the audit trail). */
  linkOpensOmitted: number;
  /** Identity checks before signing, when the envelope asked for them: one line per attempt. */
  identity?: { checks: string[]; attempts: { attempt: number; status: string; summary: string; at: string; sessionId: string }[] };
}

export interface CertificateModel {
  envelope: {
    id: string;
    title: string;
    status: string;
    statusReason: string | null;
    organisation: string;
    documentType: string;
    createdAt: string;
    sentAt: string | null;
    finishedAt: string | null;
  };
  documents: { name: string; size: number; sha256: string; finalCmsSha256: string | null }[];
  signers: CertificateSigner[];
  audit: { headHash: string | null; events: number };
  verifyUrl: string;
  generatedAt: string;
}

export interface CertificateFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** The Keywords entries, also read back by the offline check. */
export function certificateKeywords(envelopeId: string, headHash: string | null): string[] {
  return [`kezek-envelope:${envelopeId}`, `kezek-audit-head:${headHash ?? 'none'}`];
}

export function formatUtc(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const FOOTER = 36;
const INK = rgb(0.11, 0.14, 0.2);
const GREY = rgb(0.36, 0.4, 0.47);
const RULE = rgb(0.82, 0.85, 0.9);
const ACCENT = rgb(0.12, 0.31, 0.82);
const LABEL_WIDTH = 130;

/** Splits text into lines no wider than `width`, breaking long unbroken runs (hashes, user agents) anywhere. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(\s+)/)) {
      if (!word) continue;
      const candidate = line + word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      let rest = word.trimStart();
      while (rest && font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** A top-down writer over as many pages as the content needs. */
class Writer {
  page!: PDFPage;
  y = 0;
  readonly width = A4[0] - 2 * MARGIN;

  constructor(
    readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER) this.newPage();
  }

  text(text: string, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; x?: number; width?: number; gap?: number } = {}): void {
    const size = options.size ?? 9.5;
    const font = options.bold ? this.bold : this.font;
    const x = MARGIN + (options.x ?? 0);
    const width = options.width ?? this.width - (options.x ?? 0);
    for (const line of wrapText(text, font, size, width)) {
      this.ensure(size + 3);
      this.y -= size + 3;
      this.page.drawText(line, { x, y: this.y, size, font, color: options.color ?? INK });
    }
    this.y -= options.gap ?? 0;
  }

  /** `label: value` with the value wrapped in its own column; `small` for hashes and ids (a SHA-256 fits one line). */
  field(label: string, value: string, options: { small?: boolean } = {}): void {
    const size = options.small ? 8 : 9.5;
    const lines = wrapText(value, this.font, size, this.width - LABEL_WIDTH);
    this.ensure((size + 3) * Math.min(lines.length, 3));
    const top = this.y;
    this.page.drawText(label, { x: MARGIN, y: top - size - 3, size: 9.5, font: this.font, color: GREY });
    this.y = top;
    this.text(value, { x: LABEL_WIDTH, size });
  }

  /** A table whose cells wrap within their column; each row starts on the page where it fits. */
  table(columns: { title: string; width: number; size?: number }[], rows: string[][]): void {
    const lineHeight = (size: number) => size + 3;
    const drawRow = (cells: string[], header: boolean) => {
      const wrapped = cells.map((cell, i) => wrapText(cell, header ? this.bold : this.font, columns[i].size ?? 8.5, columns[i].width - 6));
      const height = Math.max(...wrapped.map((lines, i) => lines.length * lineHeight(columns[i].size ?? 8.5))) + 4;
      this.ensure(height);
      let x = MARGIN;
      wrapped.forEach((lines, i) => {
        const size = header ? 8.5 : (columns[i].size ?? 8.5);
        lines.forEach((line, n) => this.page.drawText(line, { x, y: this.y - (n + 1) * lineHeight(size), size, font: header ? this.bold : this.font, color: header ? GREY : INK }));
        x += columns[i].width;
      });
      this.y -= height;
      this.page.drawLine({ start: { x: MARGIN, y: this.y + 1 }, end: { x: A4[0] - MARGIN, y: this.y + 1 }, thickness: 0.4, color: RULE });
    };
    drawRow(columns.map((c) => c.title), true);
    for (const row of rows) drawRow(row, false);
    this.y -= 6;
  }

  heading(text: string): void {
    this.ensure(40);
    this.y -= 14;
    this.text(text, { size: 12.5, bold: true, color: ACCENT, gap: 3 });
    this.rule();
  }

  rule(): void {
    this.y -= 3;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4[0] - MARGIN, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 4;
  }
}

export async function renderCertificateOfCompletion(model: CertificateModel, fonts: CertificateFonts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const { envelope } = model;
  pdf.setTitle(`Certificate of completion: ${envelope.title}`);
  pdf.setSubject(`Kezek envelope ${envelope.id}`);
  pdf.setKeywords(certificateKeywords(envelope.id, model.audit.headHash));
  pdf.setProducer('Kezek');
  pdf.setCreator('Kezek');
  pdf.setCreationDate(new Date(model.generatedAt));
  pdf.setModificationDate(new Date(model.generatedAt));

  const w = new Writer(pdf, font, bold);
  w.text('Certificate of completion', { size: 20, bold: true });
  w.text('Сертификат о завершении · Аяқталу туралы куәлік', { size: 11, color: GREY, gap: 8 });

  w.heading('Envelope');
  w.field('Title', envelope.title);
  w.field('Envelope id', envelope.id, { small: true });
  w.field('Organisation', envelope.organisation);
  w.field('Status', envelope.statusReason ? `${envelope.status} (${envelope.statusReason})` : envelope.status);
  w.field('Document type', envelope.documentType.toUpperCase());
  w.field('Created', formatUtc(envelope.createdAt));
  w.field('Sent', formatUtc(envelope.sentAt));
  w.field('Finished', formatUtc(envelope.finishedAt));
  w.field('Certificate generated', formatUtc(model.generatedAt));

  w.heading('Documents');
  model.documents.forEach((d, i) => {
    w.text(`${i + 1}. ${d.name} (${d.size} bytes)`, { bold: true });
    w.field('SHA-256 of the original', d.sha256, { small: true });
    w.field('SHA-256 of the final CMS', d.finalCmsSha256 ?? 'not signed', { small: true });
    w.y -= 4;
  });

  w.heading('Signers');
  w.text('Signing times are the signingTime attributes of the signatures (CMS), not times recorded by Kezek.', { size: 8.5, color: GREY, gap: 4 });
  w.table(
    [
      { title: '#', width: 18 },
      { title: 'Signer', width: 142 },
      { title: 'IIN', width: 66 },
      { title: 'Signed at (CMS)', width: 126, size: 8 },
      { title: 'Certificate serial', width: w.width - 352, size: 7 },
    ],
    model.signers.map((s) => [
      String(s.position),
      s.fullName,
      s.iin,
      s.signatures.length ? s.signatures.map((sig) => formatUtc(sig.signingTime)).join('\n') : '—',
      s.signatures.length ? s.signatures.map((sig) => sig.serialNumber ?? '—').join('\n') : '—',
    ]),
  );
  for (const s of model.signers) {
    // Keep a signer's block on one page when it fits on one.
    const rows = 5 + 5 * Math.max(1, s.signatures.length) + 2 * Math.max(1, s.linkOpens.length) + (s.linkOpensOmitted ? 1 : 0) + (s.identity ? 1 + 3 * s.identity.attempts.length : 0);
    w.ensure(Math.min(rows * 13 + 10, 600));
    w.text(`${s.position}. ${s.fullName}`, { size: 11, bold: true });
    w.field('IIN', s.iin);
    w.field('Status / routing order', `${s.status} / ${s.routingOrder}`);
    if (!s.signatures.length) w.field('Signature', 'none');
    for (const signature of s.signatures) {
      const prefix = model.documents.length > 1 ? `${signature.documentName}: ` : '';
      w.field('Signed at (CMS)', `${prefix}${formatUtc(signature.signingTime)}`);
      w.field('Certificate holder', signature.certificateName ?? '—');
      w.field('Certificate serial', signature.serialNumber ?? '—', { small: true });
      w.field('Certificate issuer', signature.issuer ?? '—');
    }
    w.field('Provider session', s.sessionIds.length ? s.sessionIds.join(', ') : '—', { small: true });
    if (s.identity) {
      w.field('Identity checks', s.identity.checks.join(', '));
      if (!s.identity.attempts.length) w.field('Identity', 'not started');
      for (const a of s.identity.attempts) {
        w.field(`Identity attempt ${a.attempt}`, `${a.status} · ${formatUtc(a.at)}`);
        w.field('', a.summary);
        w.field('Identity session', a.sessionId, { small: true });
      }
    }
    if (!s.linkOpens.length) w.field('Link opened', 'never');
    for (const open of s.linkOpens) w.field('Link opened', `${formatUtc(open.at)} · IP ${open.ip ?? '—'} · ${open.userAgent ?? 'no user agent'}`);
    if (s.linkOpensOmitted) w.field('', `… and ${s.linkOpensOmitted} later opens, listed in the audit trail`);
    w.rule();
  }

  w.heading('Audit trail');
  w.field('Events', String(model.audit.events));
  w.field('Head hash (SHA-256)', model.audit.headHash ?? '—', { small: true });
  w.text('Each event is chained to the previous one by SHA-256; the head hash fixes the whole trail. Check an evidence pack offline with: kezek verify-evidence <evidence.zip> --trust <ca.pem>', { size: 8.5, color: GREY });

  w.heading('Verification');
  const qr = await pdf.embedPng(await QRCode.toBuffer(model.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }));
  const size = 120;
  w.ensure(size + 10);
  const top = w.y;
  w.page.drawImage(qr, { x: MARGIN, y: top - size, width: size, height: size });
  w.y = top - 4;
  w.text('Scan or open to verify the signed documents:', { x: size + 14, size: 9.5 });
  w.text(model.verifyUrl, { x: size + 14, size: 9, color: ACCENT });
  w.text('Проверка подлинности · Түпнұсқалығын тексеру', { x: size + 14, size: 9, color: GREY });
  w.y = Math.min(w.y, top - size - 6);

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    page.drawText(`Kezek · envelope ${envelope.id} · page ${i + 1} of ${pages.length}`, { x: MARGIN, y: MARGIN - 14, size: 7.5, font, color: GREY });
  });
  return pdf.save();
}
