import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';
import { maskPiiDeep, maskPii } from './pii.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Takes a caller's X-Request-Id when it is sane, else makes one; it is echoed back and in every error body. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * Routes clients and pages poll: health checks, metric scrapes, envelope status polls, the signer's return page
 * (reloads while the provider works) and the provider status API (the sandbox's, polled by Kezek itself).
 * Their request lines are logged at debug, so a running service's log shows what happened, not who asked.
 */
const POLLED_ROUTES = [/^\/health(\/ready)?$/, /^\/metrics$/, /^\/v1\/envelopes\/[^/]+$/, /^\/s\/[^/]+\/return$/, /^\/sandbox\/api\/v1\/session\/status\/?$/];

export function isPolledRoute(method: string | undefined, url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return method === 'GET' && POLLED_ROUTES.some((route) => route.test(path));
}

/** Nest's start-up chatter (modules loaded, routes mapped): debug, so the start-up banner is what a person sees. */
const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);
const INFO = 30;

/**
 * One line per request with its id; IIN, phone and keys masked in every line. JSON for machines; coloured,
 * readable lines (pino-pretty) when stdout is a terminal.
 */
export function loggerModule(config: AppConfig) {
  const pretty = process.stdout.isTTY === true && config.NODE_ENV !== 'test';
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.LOG_LEVEL,
      ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
      genReqId: requestIdOf,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], censor: '***' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPii(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      hooks: {
        logMethod(args, method, level) {
          const masked = args.map((arg) => maskPiiDeep(arg)) as Parameters<typeof method>;
          const context = (args[0] as { context?: unknown } | undefined)?.context;
          if (level === INFO && typeof context === 'string' && STARTUP_CONTEXTS.has(context)) {
            this.debug(...(masked as Parameters<typeof this.debug>));
            return;
          }
          method.apply(this, masked);
        },
      },
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return isPolledRoute(req.method, req.url) ? 'debug' : 'info';
      },
    },
  });
}
