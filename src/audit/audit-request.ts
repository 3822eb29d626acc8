import type { Request } from 'express';

/** Where a request came from, for the audit trail. */
export interface AuditRequestContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * The client address and user agent of a request. `req.ip` is the socket's peer unless TRUST_PROXY names
 * the proxies in front (a hop count or their addresses): express then takes the right-most untrusted entry
 * of X-Forwarded-For, which a client cannot forge.
 */
export function auditContextOf(request: Pick<Request, 'ip' | 'headers'>): AuditRequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ? request.ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') : null,
    userAgent: typeof userAgent === 'string' && userAgent.length ? userAgent.slice(0, 512) : null,
  };
}
