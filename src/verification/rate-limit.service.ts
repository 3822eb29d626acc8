import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { clientBucket } from '../common/http/client-address.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

const WINDOW_MS = 60_000;

/**
 * Per-IP limit of the public verification endpoints, counted in PostgreSQL: every instance shares the same
 * counters (an in-memory limiter such as @nestjs/throttler's default store would grant each instance its
 * own budget and forget it on restart), and one upsert per request is cheap next to verifying a file.
 * Fixed one-minute windows; the bucket is an HMAC of the IP (IPv6: its /64) under SECRETS_KEY, so no address
 * is stored.
 */
@Injectable()
export class RateLimitService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `request`'s client; throws RATE_LIMITED (and sets Retry-After) past the limit. */
  async consume(request: Request, response: Response, scope = 'verify', limit = this.config.VERIFY_RATE_LIMIT_PER_MINUTE): Promise<void> {
    const now = Date.now();
    const windowStart = new Date(now - (now % WINDOW_MS));
    const bucket = `${scope}:${createHmac('sha256', this.config.secretsKey).update(clientBucket(request.ip)).digest('base64url')}`;
    const [row] = (await this.db.query(
      `INSERT INTO rate_limit_hit (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hit.hits + 1 RETURNING hits`,
      [bucket, windowStart],
    )) as { hits: number }[];
    // Past windows are of no use: the first request of each window clears them.
    if (row.hits === 1) await this.db.query(`DELETE FROM rate_limit_hit WHERE window_start < $1`, [new Date(windowStart.getTime() - WINDOW_MS)]);
    response.setHeader('RateLimit-Limit', String(limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, limit - row.hits)));
    if (row.hits > limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000));
      response.setHeader('Retry-After', String(retryAfter));
      throw new AppError('RATE_LIMITED', `Too many ${scope === 'verify' ? 'verification ' : ''}requests from this address; try again in ${retryAfter} s`);
    }
  }
}

/** The limit as a guard: it runs before the upload is read. */
@Injectable()
export class VerifyRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimitService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    await this.limiter.consume(http.getRequest<Request>(), http.getResponse<Response>());
    return true;
  }
}
