import { type EntityManager, LessThan } from 'typeorm';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';
import { EnvelopeDocument } from '../envelopes/entities/envelope-document.entity.js';

/**
 * What a document's upload is for a routing order: the last earlier group's CMS (merged when that group
 * signed in parallel), or undefined for the first group, which signs the original.
 */
export async function previousGroupCms(manager: EntityManager, documentId: string, routingOrder: number): Promise<Buffer | undefined> {
  const previous = await manager.getRepository(DocumentSignature).findOne({
    where: { documentId, routingOrder: LessThan(routingOrder) },
    order: { routingOrder: 'DESC' },
  });
  return previous?.cms;
}

/** An envelope document as a round of some routing order uploads it. */
export interface RoundInput {
  document: Pick<EnvelopeDocument, 'id' | 'name' | 'position' | 'content' | 'sha256'>;
  /** The last earlier group's CMS; undefined for the first group. */
  previous: Buffer | undefined;
}

/**
 * The SQL condition that picks, for the envelope document `d`, the document_signature row of its previousGroupCms
 * (the routing order in the SQL expression `routingOrder`): a join condition on that row's `id`.
 */
export function previousGroupCmsCondition(signatureAlias: string, routingOrder: string): string {
  return `${signatureAlias}.id = (SELECT ds.id FROM document_signature ds WHERE ds.document_id = d.id AND ds.routing_order < ${routingOrder} ORDER BY ds.routing_order DESC LIMIT 1)`;
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
      previousGroupCmsCondition('p', ':routingOrder'),
      { routingOrder },
    )
    .where('d.envelope_id = :envelopeId', { envelopeId })
    .orderBy('d.position', 'ASC')
    .getMany()) as Joined[];
  return documents.map(({ previous, ...document }) => ({ document, previous: previous?.cms }));
}
