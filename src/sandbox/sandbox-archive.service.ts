import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { archiveEntryName, zipFiles } from './domain/archive.js';
import { signerFullName, unwrapCms, type CmsSigner } from './domain/cms-unwrap.js';
import { pdfArchiveCopy, standaloneSignatureSheet, xmlArchiveCopy, type CopyInput, type SheetSigner } from './domain/signature-sheet.js';
import type { SandboxDocument, SandboxSession } from './sandbox.entities.js';

export interface ArchiveCopy {
  id: string;
  name: string;
  bytes: Uint8Array;
}

function loadFont(): Uint8Array {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
}

/** Signers in the order they signed: innermost level first, then by signing time. */
export function chronologicalSigners(signers: CmsSigner[]): SheetSigner[] {
  return [...signers]
    .sort((a, b) => b.depth - a.depth || (a.signingTime?.getTime() ?? 0) - (b.signingTime?.getTime() ?? 0))
    .map((s) => ({ fullName: signerFullName(s), iin: s.iin, signingTime: s.signingTime }));
}

/**
 * The archive of a signed session: a copy of each uploaded document. For a PDF, the original (unwrapped from
 * any CMS chain) with a last page listing every signer of the chain and a QR code to the verification page
 * with the session's check_id, and `DocumentId` metadata. For XML, see xmlArchiveCopy.
 */
@Injectable()
export class SandboxArchiveService {
  private readonly logger = new Logger('SandboxArchive');
  private font?: Uint8Array;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  verifyUrl(checkId: string): string {
    return this.config.sandboxVerifyUrl.replaceAll('{checkId}', encodeURIComponent(checkId));
  }

  async copies(session: SandboxSession, documents: SandboxDocument[]): Promise<ArchiveCopy[]> {
    this.font ??= loadFont();
    const taken = new Set<string>();
    const copies: ArchiveCopy[] = [];
    for (const document of documents) {
      // The final CMS holds the whole chain (this session's signer and every earlier one, nested or side by side).
      const chain = unwrapCms(document.sign ?? document.content);
      const original = chain.content ?? unwrapCms(document.content).content ?? document.content;
      const input: CopyInput = {
        documentId: document.id,
        documentName: document.name,
        checkId: session.checkId,
        verifyUrl: this.verifyUrl(session.checkId),
        signers: chronologicalSigners(chain.signers),
      };
      const name = archiveEntryName(document.name, session.documentType, taken);
      if (session.documentType === 'xml') {
        copies.push({ id: document.id, name, bytes: xmlArchiveCopy(original, input) });
        continue;
      }
      try {
        copies.push({ id: document.id, name, bytes: await pdfArchiveCopy(original, input, this.font) });
      } catch (error) {
        // An original pdf-lib cannot open (encrypted, damaged): the copy stays as uploaded, the sheet goes beside it.
        this.logger.warn({ err: error, documentId: document.id }, 'archive copy: original PDF could not be extended');
        copies.push({ id: document.id, name, bytes: original });
        const sheetName = archiveEntryName(name.replace(/\.pdf$/i, ' (signature sheet).pdf'), 'pdf', taken);
        copies.push({ id: document.id, name: sheetName, bytes: await standaloneSignatureSheet(input, this.font) });
      }
    }
    return copies;
  }

  zip(copies: ArchiveCopy[]): Uint8Array {
    return zipFiles(copies.map((c) => ({ name: c.name, bytes: c.bytes })));
  }
}
