import type { ParsedCertificate } from '../certificate.js';
import { CmsFormatError } from '../cms.errors.js';
import { readCrl, type ParsedCrl } from './crl.js';
import { buildOcspRequest, readOcspResponse } from './ocsp.js';
import type { PkiHttpPort, RevocationAnswer } from './revocation-port.js';

export interface RevocationCheckerOptions {
  http: PkiHttpPort;
  /** Used for every certificate instead of its authorityInfoAccess OCSP URL. */
  ocspUrl?: string;
  /** Used for every certificate instead of its cRLDistributionPoints. */
  crlUrl?: string;
  /** Most answers kept (per certificate); the least recently used go first. */
  maxEntries?: number;
  /** Most CRLs kept (a national CA's CRL is megabytes). */
  maxCrls?: number;
  maxOcspBytes?: number;
  maxCrlBytes?: number;
  /** How long an answer without nextUpdate is reused, and how long "unknown" is (so a down responder is not hammered). */
  defaultTtlMs?: number;
  unknownTtlMs?: number;
  /** Longest reuse of any answer, whatever its nextUpdate says. */
  maxTtlMs?: number;
  clock?: () => Date;
}

/** A small map that forgets its least recently used entry past `max`, and entries past their expiry. */
class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly max: number) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expires: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * Revocation status of certificates by OCSP (first) and CRL (when OCSP gives no answer), cached: answers
 * until their nextUpdate (capped), "unknown" briefly, and concurrent questions about one certificate share
 * one fetch. Only certificates whose chain to an anchor passed are ever asked about, so every URL fetched
 * comes from a certificate a trusted CA issued, never from a stranger.
 */
export class RevocationChecker {
  private readonly answers: ExpiringCache<RevocationAnswer>;
  private readonly crls: ExpiringCache<ParsedCrl>;
  private readonly inFlight = new Map<string, Promise<RevocationAnswer>>();
  private readonly settings: Required<Omit<RevocationCheckerOptions, 'ocspUrl' | 'crlUrl'>> & Pick<RevocationCheckerOptions, 'ocspUrl' | 'crlUrl'>;

  constructor(options: RevocationCheckerOptions) {
    this.settings = {
      maxEntries: 1000,
      maxCrls: 8,
      maxOcspBytes: 64 * 1024,
      maxCrlBytes: 16 * 1024 * 1024,
      defaultTtlMs: 5 * 60_000,
      unknownTtlMs: 60_000,
      maxTtlMs: 24 * 3600_000,
      clock: () => new Date(),
      ...options,
    };
    this.answers = new ExpiringCache(this.settings.maxEntries);
    this.crls = new ExpiringCache(this.settings.maxCrls);
  }

  async status(cert: ParsedCertificate, issuer: ParsedCertificate): Promise<RevocationAnswer> {
    const key = `${issuer.sha256}:${cert.serialHex}`;
    const cached = this.answers.get(key, this.settings.clock().getTime());
    if (cached) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(cert, issuer).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async ask(cert: ParsedCertificate, issuer: ParsedCertificate): Promise<RevocationAnswer> {
    const problems: string[] = [];
    const ocspUrl = this.settings.ocspUrl ?? cert.ocspUrls.find(isHttp);
    if (ocspUrl) {
      const answer = await this.ocsp(ocspUrl, cert, issuer).catch((error: unknown) => problems.push(`OCSP ${ocspUrl}: ${reasonOf(error)}`));
      if (typeof answer === 'object' && answer.status !== 'unknown') return this.remember(cert, issuer, answer);
      if (typeof answer === 'object') problems.push(`OCSP ${ocspUrl}: ${answer.message}`);
    }
    const crlUrl = this.settings.crlUrl ?? cert.crlUrls.find(isHttp);
    if (crlUrl) {
      const answer = await this.crl(crlUrl, cert, issuer).catch((error: unknown) => problems.push(`CRL ${crlUrl}: ${reasonOf(error)}`));
      if (typeof answer === 'object') return this.remember(cert, issuer, answer);
    }
    if (!ocspUrl && !crlUrl) problems.push('the certificate names no OCSP responder or CRL');
    const now = this.settings.clock();
    return this.remember(cert, issuer, {
      status: 'unknown',
      source: null,
      url: null,
      thisUpdate: null,
      validUntil: new Date(now.getTime() + this.settings.unknownTtlMs),
      revokedAt: null,
      reason: null,
      message: `revocation status unknown: ${problems.join('; ')}`,
    });
  }

  private remember(cert: ParsedCertificate, issuer: ParsedCertificate, answer: RevocationAnswer): RevocationAnswer {
    this.answers.set(`${issuer.sha256}:${cert.serialHex}`, answer, answer.validUntil.getTime());
    return answer;
  }

  private until(nextUpdate: Date | null, now: Date): Date {
    const cap = now.getTime() + this.settings.maxTtlMs;
    return new Date(Math.min(nextUpdate ? nextUpdate.getTime() : now.getTime() + this.settings.defaultTtlMs, cap));
  }

  private async ocsp(url: string, cert: ParsedCertificate, issuer: ParsedCertificate): Promise<RevocationAnswer> {
    const request = buildOcspRequest(cert, issuer);
    const body = await this.settings.http.post(url, 'application/ocsp-request', request.der, this.settings.maxOcspBytes);
    const now = this.settings.clock();
    const answer = readOcspResponse(body, cert, issuer, request.nonce, now);
    const base = { source: 'ocsp' as const, url, thisUpdate: answer.thisUpdate, validUntil: this.until(answer.nextUpdate, now), revokedAt: answer.revokedAt, reason: answer.reason };
    if (answer.status === 'revoked') return { ...base, status: 'revoked', message: `revoked at ${answer.revokedAt!.toISOString()}${answer.reason ? ` (${answer.reason})` : ''}, says the OCSP responder` };
    if (answer.status === 'unknown') return { ...base, status: 'unknown', validUntil: new Date(now.getTime() + this.settings.unknownTtlMs), message: 'the responder does not know this certificate' };
    return { ...base, status: 'good', message: `not revoked, says the OCSP responder (${answer.thisUpdate.toISOString()})` };
  }

  private async crl(url: string, cert: ParsedCertificate, issuer: ParsedCertificate): Promise<RevocationAnswer> {
    const now = this.settings.clock();
    const key = `${issuer.sha256}:${url}`;
    let crl = this.crls.get(key, now.getTime());
    if (!crl) {
      crl = readCrl(await this.settings.http.get(url, this.settings.maxCrlBytes), issuer);
      if (crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime()) throw new CmsFormatError(`the CRL is stale (next update was due ${crl.nextUpdate.toISOString()})`);
      this.crls.set(key, crl, this.until(crl.nextUpdate, now).getTime());
    }
    const entry = crl.revoked.get(cert.serialHex);
    const base = { source: 'crl' as const, url, thisUpdate: crl.thisUpdate, validUntil: this.until(crl.nextUpdate, now), reason: entry?.reason ?? null };
    if (entry) return { ...base, status: 'revoked', revokedAt: entry.revokedAt, message: `revoked at ${entry.revokedAt.toISOString()}${entry.reason ? ` (${entry.reason})` : ''}, says the CRL` };
    return { ...base, status: 'good', revokedAt: null, message: `not on the CRL of ${crl.thisUpdate.toISOString()}` };
  }
}

function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
