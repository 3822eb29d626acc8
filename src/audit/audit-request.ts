import type { Request } from 'express';

/** Where a request came from, for the audit trail. */
export interface AuditRequestContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * The client address and user agent of a request. `req.ip` is the socket's peer unless TRUST_PROXY is set,
 * in which case express takes it from X-Forwarded-For: only behind a proxy that overwrites that header.
 */
export function auditContextOf(request: Pick<Request, 'ip' | 'headers'>): AuditRequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ? request.ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') : null,
    userAgent: typeof userAgent === 'string' && userAgent.length ? userAgent.slice(0, 512) : null,
  };
}
