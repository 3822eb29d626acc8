import { type EntityManager, LessThan } from 'typeorm';
import { DocumentSignature } from '../envelopes/entities/document-signature.entity.js';

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
