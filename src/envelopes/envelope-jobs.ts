/** The envelope's own timer: expiry at its deadline. */
export const ENVELOPE_EXPIRE_QUEUE = 'envelope-expire';

export interface EnvelopeExpireJob {
  organisationId: string;
  envelopeId: string;
}
