import type { Request } from 'express';

/** Who caused a change, as the audit trail records it. */
export interface Actor {
  kind: 'api' | 'user' | 'signer' | 'provider' | 'system';
  /** The API key's id, the console user's id, the signer's id, the provider session id… */
  id?: string;
  /** Client address (X-Forwarded-For is honoured only from the proxies TRUST_PROXY names) and user agent, when a request caused it. */
  ip?: string;
  userAgent?: string;
}

export function requestActor(kind: Actor['kind'], request: Request, id?: string): Actor {
  const userAgent = request.headers['user-agent'];
  // An API call is recorded under the key that made it (set by the API key guard), not only its organisation.
  const apiKeyId = kind === 'api' ? (request as Request & { apiKeyId?: string }).apiKeyId : undefined;
  return { kind, id: apiKeyId ?? id, ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : undefined };
}

export const SYSTEM: Actor = { kind: 'system' };
