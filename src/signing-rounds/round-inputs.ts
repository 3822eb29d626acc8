import type { EntityManager } from 'typeorm';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';

/**
 * What a document's upload is for a routing order: the last earlier group's CMS (merged when that group
 * signed in parallel), or undefined for the first group, which signs the original.
 */
export async function previousGroupCms(manager: EntityManager, documentId: string, routingOrder: number): Promise<Buffer | undefined> {
  const [previous] = (await manager.query(`SELECT p.cms FROM document_signature p WHERE ${previousGroupCmsCondition('p', '$1', '$2')}`, [documentId, routingOrder])) as { cms: Buffer }[];
  return previous?.cms;
}

/** An envelope document as a round of some routing order uploads it. */
export interface RoundInput {
  document: Pick<EnvelopeDocument, 'id' | 'name' | 'position' | 'content' | 'sha256'>;
  /** The last earlier group's CMS; undefined for the first group. */
  previous: Buffer | undefined;
}

/**
 * The SQL condition that picks the document_signature row (`signatureAlias`) of previousGroupCms, for the
 * document and routing order in the SQL expressions `documentId` and `routingOrder`: the one rule for the
 * previous group's CMS, in a WHERE or a join.
 */
export function previousGroupCmsCondition(signatureAlias: string, documentId: string, routingOrder: string): string {
  return `${signatureAlias}.id = (SELECT ds.id FROM document_signature ds WHERE ds.document_id = ${documentId} AND ds.routing_order < ${routingOrder} ORDER BY ds.routing_order DESC LIMIT 1)`;
}

/** Every document of the envelope in order, each with its previousGroupCms, read in one statement. */
export async function roundInputs(manager: EntityManager, envelopeId: string, routingOrder: number): Promise<RoundInput[]> {
  type Joined = EnvelopeDocument & { previous: DocumentSignature | null };
  const documents = (await manager
    .getRepository(EnvelopeDocument)
    .createQueryBuilder('d')
    .select(['d.id', 'd.name', 'd.position', 'd.content', 'd.sha256'])
    .leftJoinAndMapOne(
      'd.previous',
      DocumentSignature,
      'p',
      previousGroupCmsCondition('p', 'd.id', ':routingOrder'),
      { routingOrder },
    )
    .where('d.envelope_id = :envelopeId', { envelopeId })
    .orderBy('d.position', 'ASC')
    .getMany()) as Joined[];
  return documents.map(({ previous, ...document }) => ({ document, previous: previous?.cms }));
}
