import type { Request } from 'express';

/** Who caused a change, as the audit trail records it. */
export interface Actor {
  kind: 'api' | 'signer' | 'provider' | 'system';
  /** API key prefix's organisation, signer id, provider session id… */
  id?: string;
  /** Client address (X-Forwarded-For is honoured only from the proxies TRUST_PROXY names) and user agent, when a request caused it. */
  ip?: string;
  userAgent?: string;
}

export function requestActor(kind: Actor['kind'], request: Request, id?: string): Actor {
  const userAgent = request.headers['user-agent'];
  return { kind, id, ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : undefined };
}

export const SYSTEM: Actor = { kind: 'system' };
