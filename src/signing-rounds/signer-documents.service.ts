import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';
import { Envelope } from '../envelopes/entities/envelope.entity.js';
import { readableXml } from './domain/readable-xml.js';
import type { LinkView } from './signer-links.service.js';
import { SignerLinksService } from './signer-links.service.js';

export interface XmlPreview {
  text: string;
  truncated: boolean;
}

/**
 * What a signer may download through their link: the originals (always: they are asked to sign them), and
 * once the envelope is COMPLETED the signed CMS per document (the archive copy: src/archives). Everything is
 * found from the link token, then by the envelope it names: a document id alone opens nothing.
 */
@Injectable()
export class SignerDocumentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: SignerLinksService,
  ) {}

  async original(token: string, documentId: string): Promise<{ name: string; type: 'pdf' | 'xml'; bytes: Buffer }> {
    const { envelope, document } = await this.document(token, documentId);
    const row = await this.db.getRepository(EnvelopeDocument).createQueryBuilder('d').addSelect('d.content').where('d.id = :id', { id: document.id }).getOneOrFail();
    return { name: document.name, type: envelope.documentType, bytes: row.content };
  }

  /** The last CMS over the document (every signer's signature in it), once the envelope is complete. */
  async signedCms(token: string, documentId: string): Promise<{ name: string; cms: Buffer }> {
    const { envelope, document } = await this.document(token, documentId);
    this.requireCompleted(envelope);
    const latest = await this.db.getRepository(DocumentSignature).findOne({ where: { documentId: document.id, organisationId: envelope.organisationId }, order: { routingOrder: 'DESC' } });
    if (!latest) throw new AppError('NOT_SIGNED_YET', `No signature over ${document.name} is stored`);
    return { name: document.name, cms: latest.cms };
  }

  /** Readable text of each XML document, for the link page. */
  async xmlPreviews(view: LinkView): Promise<Map<string, XmlPreview>> {
    const previews = new Map<string, XmlPreview>();
    if (view.envelope.documentType !== 'xml') return previews;
    const rows = await this.db
      .getRepository(EnvelopeDocument)
      .createQueryBuilder('d')
      .addSelect('d.content')
      .where('d.envelope_id = :envelopeId AND d.organisation_id = :organisationId', { envelopeId: view.envelope.id, organisationId: view.envelope.organisationId })
      .getMany();
    for (const row of rows) previews.set(row.id, readableXml(row.content.toString('utf8')));
    return previews;
  }

  private async document(token: string, documentId: string): Promise<{ envelope: Envelope; document: EnvelopeDocument }> {
    const signer = await this.links.signerByToken(token);
    const envelope = await this.db.getRepository(Envelope).findOneByOrFail({ id: signer.envelopeId, organisationId: signer.organisationId });
    const document = await this.db.getRepository(EnvelopeDocument).findOneBy({ id: documentId, envelopeId: envelope.id, organisationId: envelope.organisationId });
    if (!document) throw new AppError('DOCUMENT_NOT_FOUND', 'This envelope has no such document');
    return { envelope, document };
  }

  requireCompleted(envelope: Envelope): void {
    if (envelope.status !== 'COMPLETED') throw new AppError('NOT_SIGNED_YET', 'The signed copy is available once every signer has signed');
  }
}
