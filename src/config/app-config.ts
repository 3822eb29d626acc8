import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseTrustProxy } from '../common/http/client-address.js';

/**
 * Every setting Kezek reads from the environment, validated once at boot.
 * A wrong or missing value stops the app with a message naming the variable and what it expects.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1');

const urlString = z.url({ message: 'expected an absolute URL such as http://localhost:3000' });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: urlString.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// connection URL' })
    .optional(),
  MIGRATIONS_RUN: booleanString.optional(),
  /** How this instance names its database connections (pg_stat_activity; job workers add "-jobs"). */
  DATABASE_APPLICATION_NAME: z.string().regex(/^[\w.-]{1,50}$/, { message: 'expected 1-50 letters, digits, dots, dashes' }).default('kezek'),
  EMBEDDED_DB_DIR: z.string().min(1).default('.kezek/pg'),
  EMBEDDED_DB_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(1).max(65535).default(54329),
  /** How long the embedded PostgreSQL's start may retry (after a crash the old server takes a moment to exit). */
  EMBEDDED_DB_START_TIMEOUT_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(600).default(30),
  /** Whom to believe about X-Forwarded-For: false, a hop count, or proxy addresses/CIDRs (see client-address.ts). */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (typeof parsed === 'object' && !Array.isArray(parsed) && parsed !== null) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    }),
  /** 32 bytes, base64: encrypts stored secrets (provider keys, webhook secrets, link tokens). */
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'expected 32 random bytes in base64 (openssl rand -base64 32)' })
    .optional(),
  /** Where the embedded setup keeps a generated SECRETS_KEY. */
  SECRETS_KEY_FILE: z.string().min(1).default('.kezek/secrets.key'),
  /** Whether this instance runs background jobs (an API-only instance may set false; jobs still queue). */
  JOBS_WORKERS_ENABLED: booleanString.default(true),
  /** A signer's link opens are recorded (audit event and `signer.link_opened` webhook) at most once per this many seconds. */
  LINK_OPEN_WINDOW_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(86_400).default(300),
  /** How often a live provider session is polled when no webhook has told us anything. */
  ROUND_POLL_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(600).default(20),
  /**
   * PEM file of trust anchors (e.g. trust/nca/nca-bundle.pem: NCA's root and intermediate certificates) signer
   * chains must lead to. Required with NODE_ENV=production; without it only the sandbox CA (while the sandbox
   * is the provider) is trusted, and otherwise no signature passes.
   */
  TRUST_ANCHORS_FILE: z.string().min(1).optional(),
  /** The certificate (PEM) evidence packs are sealed with; with EVIDENCE_SEAL_KEY_FILE. Default: a generated self-signed one. */
  EVIDENCE_SEAL_CERT_FILE: z.string().min(1).optional(),
  /** The private key (PEM, RSA) of EVIDENCE_SEAL_CERT_FILE. */
  EVIDENCE_SEAL_KEY_FILE: z.string().min(1).optional(),
  /**
   * Revocation of signing certificates by OCSP (then CRL), from the certificates' authorityInfoAccess and
   * cRLDistributionPoints: off | soft (unknown status is a warning) | hard (unknown → INDETERMINATE/TRY_LATER).
   * Default: soft with NODE_ENV=production, off otherwise (the sandbox CA's certificates name no responder).
   */
  REVOCATION: z.enum(['off', 'soft', 'hard'], { message: 'expected off, soft or hard' }).optional(),
  /** Ask this OCSP responder about every certificate instead of the one its authorityInfoAccess names. */
  REVOCATION_OCSP_URL: urlString.optional(),
  /** Use this CRL for every certificate instead of its cRLDistributionPoints. */
  REVOCATION_CRL_URL: urlString.optional(),
  /** How long one OCSP or CRL fetch may take (answers are cached until their nextUpdate). */
  REVOCATION_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).max(60_000).default(5000),
  /** Largest CRL accepted, in bytes. */
  REVOCATION_MAX_CRL_BYTES: z.coerce.number({ message: 'expected a size in bytes' }).int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
  /** RFC 3161 time-stamping authority: when set, every accepted signature and every evidence seal is timestamped. */
  TSA_URL: urlString.optional(),
  /** How long one timestamp request may take. */
  TSA_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).max(60_000).default(10_000),
  MAX_DOCUMENT_BYTES: z.coerce.number({ message: 'expected a size in bytes' }).int().positive().default(10 * 1024 * 1024),
  /**
   * Development only: lets webhook endpoints use plain http and resolve to loopback, private, link-local or
   * CGNAT addresses. Refused with NODE_ENV=production.
   */
  WEBHOOKS_ALLOW_PRIVATE: booleanString.default(false),
  /** Retries after a failed webhook delivery (exponential backoff: delay·2^n). */
  WEBHOOK_RETRY_LIMIT: z.coerce.number({ message: 'expected a number of retries' }).int().min(0).max(20).default(8),
  /** The first retry's delay; each further retry waits about twice as long. */
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(3600).default(5),
  /** How long one delivery attempt may take, from connecting to the end of the (capped) response. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).max(60_000).default(10_000),
  /** Delivery workers per instance; more than WEBHOOK_ORGANISATION_CONCURRENCY, so one organisation never takes them all. */
  WEBHOOK_WORKERS: z.coerce.number({ message: 'expected a count' }).int().min(2).max(64).default(8),
  /** Attempts in flight at once for one organisation, across all instances. */
  WEBHOOK_ORGANISATION_CONCURRENCY: z.coerce.number({ message: 'expected a count' }).int().min(1).max(32).default(4),
  /** Attempts in flight at once for one endpoint, across all instances. */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number({ message: 'expected a count' }).int().min(1).max(32).default(2),
  /** Consecutive failed attempts after which an endpoint is paused (its circuit breaker opens). */
  WEBHOOK_BREAKER_THRESHOLD: z.coerce.number({ message: 'expected a count' }).int().min(1).max(1000).default(5),
  /** How long a paused endpoint waits before one probe delivery is let through; success resumes it. */
  WEBHOOK_BREAKER_COOLDOWN_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(86_400).default(60),

  /** Serve the local Cloud EDS sandbox under /sandbox. Default: on with the embedded database, off with DATABASE_URL. */
  SANDBOX_ENABLED: booleanString.optional(),
  /**
   * Demos only: serve the sandbox although Kezek's Cloud EDS base URL is another provider. Without it such a
   * setup is refused; either way the sandbox CA is then not trusted.
   */
  SANDBOX_ALLOW_OTHER_PROVIDER: booleanString.default(false),
  /** `dev` caps each uploaded file at 30 KB like the provider's dev host; `prod` caps it at MAX_DOCUMENT_BYTES. */
  SANDBOX_PROFILE: z.enum(['dev', 'prod']).default('dev'),
  /** Link put in the QR code of archive copies; `{checkId}` is replaced. Default: `<PUBLIC_BASE_URL>/verify/{checkId}`. */
  SANDBOX_VERIFY_URL: z.string().includes('{checkId}', { message: 'expected a URL template containing {checkId}' }).optional(),
  /** Default fault injection for sandbox organisations without their own: share of calls answered 503. */
  SANDBOX_FAULT_UNAVAILABLE_RATE: z.coerce.number({ message: 'expected a number between 0 and 1' }).min(0).max(1).default(0),
  /** Default added latency of sandbox API calls, in milliseconds. */
  SANDBOX_FAULT_LATENCY_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(0).max(120_000).default(0),
  /** Default share of sandbox API calls whose connection is dropped without an answer. */
  SANDBOX_FAULT_DROP_RATE: z.coerce.number({ message: 'expected a number between 0 and 1' }).min(0).max(1).default(0),
  /** How often the sandbox looks for due webhook deliveries and expired sessions, in milliseconds. */
  SANDBOX_POLL_INTERVAL_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(10).default(1000),
  /** First webhook retry delay; each further retry doubles it. */
  SANDBOX_WEBHOOK_RETRY_BASE_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(1).default(5000),
  /** Webhook delivery attempts before a delivery is given up. */
  SANDBOX_WEBHOOK_MAX_ATTEMPTS: z.coerce.number({ message: 'expected a count' }).int().min(1).max(20).default(8),

  /** Most entries accepted in a provider archive (and in an evidence pack checked offline). */
  ARCHIVE_MAX_ENTRIES: z.coerce.number({ message: 'expected a count' }).int().min(1).max(10_000).default(256),
  /** Most bytes a provider archive may unpack to, all entries together. */
  ARCHIVE_MAX_UNPACKED_BYTES: z.coerce.number({ message: 'expected a size in bytes' }).int().positive().default(256 * 1024 * 1024),
  /** Highest compression ratio accepted for an archive entry larger than 1 MiB (a zip bomb expands thousands of times). */
  ARCHIVE_MAX_RATIO: z.coerce.number({ message: 'expected a ratio' }).int().min(2).max(10_000).default(100),
  /** Retries of a round's archive download (exponential backoff from ARCHIVE_RETRY_DELAY_SECONDS); a restart queues what is still missing. */
  ARCHIVE_RETRY_LIMIT: z.coerce.number({ message: 'expected a number of retries' }).int().min(0).max(50).default(20),
  ARCHIVE_RETRY_DELAY_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(3600).default(10),
  /** Public verification (page, API): requests per client IP per minute, counted in PostgreSQL across instances. */
  VERIFY_RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: 'expected a count' }).int().min(1).max(100_000).default(60),
  /** Outgoing mail server, e.g. smtps://user:pass@mail.example.kz:465. Unset: mail goes to the console's development mailbox. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, { message: 'expected an smtp:// or smtps:// URL' }).optional(),
  /** The From address of Kezek's mail. */
  MAIL_FROM: z.string().min(3).default('Kezek <no-reply@kezek.local>'),
  /** An HTTP SMS gateway (POST JSON `{to, text}` with `Authorization: Bearer SMS_GATEWAY_TOKEN`). Unset: no SMS is sent. */
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }).optional(),
  SMS_GATEWAY_TOKEN: z.string().min(8, { message: 'expected the gateway token (at least 8 characters)' }).optional(),
  /** Retries of a failed message (exponential backoff from NOTIFICATION_RETRY_DELAY_SECONDS); a refusal by the server (5xx, 4xx from the gateway) is final at once. */
  NOTIFICATION_RETRY_LIMIT: z.coerce.number({ message: 'expected a number of retries' }).int().min(0).max(20).default(5),
  NOTIFICATION_RETRY_DELAY_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(3600).default(10),
  /** A console user may remind one signer at most once per this many minutes (scheduled reminders are not counted). */
  REMINDER_MIN_INTERVAL_MINUTES: z.coerce.number({ message: 'expected minutes' }).int().min(1).max(10_080).default(60),
  /** Console sign-in attempts per client IP per minute (wrong passwords also lock the account after 5 in a row). */
  CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: 'expected a count' }).int().min(1).max(100_000).default(20),

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (on whichever port serves it). */
  METRICS_TOKEN: z.string().min(16, { message: 'expected at least 16 characters (openssl rand -hex 24)' }).optional(),
  /** When set, /metrics is served on this port only (same HOST), not on the API port. */
  METRICS_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).optional(),

  /** Cloud EDS API base URL. Default: this service's sandbox when enabled, else https://dev.b-key.kz (prod: https://api.b-key.kz). */
  CLOUD_EDS_BASE_URL: urlString.optional(),
  /** Cloud EDS sign page. Default: the sandbox's when enabled, else https://dev.b-key.kz/sign (prod: https://remote.b-key.kz/sign). */
  CLOUD_EDS_SIGN_URL: urlString.optional(),
  /** Timeout of one Cloud EDS call (each attempt), in milliseconds. */
  CLOUD_EDS_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).default(15_000),
  /** Attempts for calls that are safe to retry (GET, and 503 "Digital service signature is not available"). */
  CLOUD_EDS_RETRY_ATTEMPTS: z.coerce.number({ message: 'expected a count' }).int().min(1).max(10).default(3),

  /** Identity API host (Flow Remote, E-Document). Default: this service's sandbox when enabled, else https://kyc.biometric.kz. */
  KYC_BASE_URL: urlString.optional(),
  /** The person's identity flow pages. Default: the sandbox's when enabled, else https://remote.biometric.kz. */
  KYC_FLOW_URL: urlString.optional(),
  /** Timeout of one identity API call (each attempt), in milliseconds. */
  KYC_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).default(15_000),
  /** Attempts for identity API calls that are safe to repeat (reads, report and file generation). */
  KYC_RETRY_ATTEMPTS: z.coerce.number({ message: 'expected a count' }).int().min(1).max(10).default(3),
  /** Failed identity checks (flow sessions) a signer may have before they are FAILED, unless the envelope says otherwise. */
  IDENTITY_MAX_ATTEMPTS: z.coerce.number({ message: 'expected a count' }).int().min(1).max(10).default(3),
  /** How long a passed identity step lets the signer open Cloud EDS signing without doing it again. */
  IDENTITY_VALID_MINUTES: z.coerce.number({ message: 'expected minutes' }).int().min(1).max(7 * 24 * 60).default(60),
  /** First wait before an open identity flow session's result is polled; later polls back off up to 8x. */
  IDENTITY_POLL_SECONDS: z.coerce.number({ message: 'expected seconds' }).int().min(1).max(600).default(15),
});

export type AppConfig = z.infer<typeof configSchema> & {
  /** The URL users and signers reach this service at (links, QR codes, redirects). */
  publicBaseUrl: string;
  /** True when no DATABASE_URL is set and Kezek runs its own PostgreSQL under EMBEDDED_DB_DIR. */
  embeddedDatabase: boolean;
  /** Whether pending migrations run at start: always with the embedded database, else only when asked. */
  runMigrations: boolean;
  /** The key behind SecretBox. */
  secretsKey: Buffer;
  /** Whether the Cloud EDS sandbox is served under /sandbox (SANDBOX_ENABLED, default: embedded database). */
  sandboxEnabled: boolean;
  /** Cloud EDS API base URL in force (follows publicBaseUrl when it defaults to the sandbox). */
  readonly cloudEdsBaseUrl: string;
  /** Cloud EDS sign page URL in force. */
  readonly cloudEdsSignUrl: string;
  /** QR link template of sandbox archive copies, with `{checkId}`. */
  readonly sandboxVerifyUrl: string;
  /** Identity API host in force (follows publicBaseUrl when it defaults to the sandbox). */
  readonly kycBaseUrl: string;
  /** Identity flow pages in force. */
  readonly kycFlowUrl: string;
  /** REVOCATION in force (its default depends on NODE_ENV). */
  revocation: 'off' | 'soft' | 'hard';
  /** An absolute URL on this service: the one place links to Kezek are built. */
  publicUrl(path: string): string;
  /** The public verification page, of one provider session when its check_id is known. */
  verifyPageUrl(checkId?: string | null): string;
};

/** The provider's documented hosts. */
export const CLOUD_EDS_HOSTS = {
  dev: { baseUrl: 'https://dev.b-key.kz', signUrl: 'https://dev.b-key.kz/sign' },
  prod: { baseUrl: 'https://api.b-key.kz', signUrl: 'https://remote.b-key.kz/sign' },
} as const;

/** The identity products' documented hosts (guides 000, 001, 004). */
export const KYC_HOSTS = { baseUrl: 'https://kyc.biometric.kz', flowUrl: 'https://remote.biometric.kz' } as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.') || '(environment)';
        const received = env[variable];
        return `${variable}: ${issue.message}${received === undefined ? ' (not set)' : ` (got "${received}")`}`;
      }),
    );
  }
  const values = parsed.data;
  // The sandbox CA would be a trust anchor and any account could sign as any IIN: never in production.
  if (values.SANDBOX_ENABLED && values.NODE_ENV === 'production') {
    throw new ConfigError(['SANDBOX_ENABLED: the local provider sandbox is for development and demos, refused with NODE_ENV=production (got "true")']);
  }
  // Fail closed: a production instance with no anchors would accept no signature, or (worse) be "fixed" by trusting anything.
  if (values.NODE_ENV === 'production' && !values.TRUST_ANCHORS_FILE) {
    throw new ConfigError(['TRUST_ANCHORS_FILE: required with NODE_ENV=production; point it at the trusted CA certificates, e.g. trust/nca/nca-bundle.pem (not set)']);
  }
  const sandboxEnabled = values.SANDBOX_ENABLED ?? (values.DATABASE_URL === undefined && values.NODE_ENV !== 'production');
  const ownSandbox = `${(values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '')}/sandbox`;
  // The sandbox issues certificates for any IIN on request: next to a real provider it is only for demos, on purpose.
  if (sandboxEnabled && values.CLOUD_EDS_BASE_URL && values.CLOUD_EDS_BASE_URL.replace(/\/+$/, '') !== ownSandbox && !values.SANDBOX_ALLOW_OTHER_PROVIDER) {
    throw new ConfigError([
      `SANDBOX_ENABLED: the sandbox runs only while it is Kezek's provider (CLOUD_EDS_BASE_URL ${ownSandbox}); set SANDBOX_ENABLED=false, or SANDBOX_ALLOW_OTHER_PROVIDER=true for a demo (got CLOUD_EDS_BASE_URL "${values.CLOUD_EDS_BASE_URL}")`,
    ]);
  }
  if (Boolean(values.EVIDENCE_SEAL_CERT_FILE) !== Boolean(values.EVIDENCE_SEAL_KEY_FILE)) {
    throw new ConfigError([`${values.EVIDENCE_SEAL_CERT_FILE ? 'EVIDENCE_SEAL_KEY_FILE' : 'EVIDENCE_SEAL_CERT_FILE'}: the evidence seal needs both EVIDENCE_SEAL_CERT_FILE and EVIDENCE_SEAL_KEY_FILE (not set)`]);
  }
  if (Boolean(values.SMS_GATEWAY_URL) !== Boolean(values.SMS_GATEWAY_TOKEN)) {
    throw new ConfigError([`${values.SMS_GATEWAY_URL ? 'SMS_GATEWAY_TOKEN' : 'SMS_GATEWAY_URL'}: the SMS gateway needs both SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN (not set)`]);
  }
  if (values.WEBHOOK_WORKERS <= values.WEBHOOK_ORGANISATION_CONCURRENCY) {
    throw new ConfigError([
      `WEBHOOK_WORKERS: must be more than WEBHOOK_ORGANISATION_CONCURRENCY (${values.WEBHOOK_ORGANISATION_CONCURRENCY}), so that other organisations always find a free worker (got "${values.WEBHOOK_WORKERS}")`,
    ]);
  }
  if (values.WEBHOOKS_ALLOW_PRIVATE && values.NODE_ENV === 'production') {
    throw new ConfigError(['WEBHOOKS_ALLOW_PRIVATE: a development setting, refused with NODE_ENV=production (got "true")']);
  }
  const embeddedDatabase = values.DATABASE_URL === undefined;
  // The derived URLs are getters: tests (and a server on an ephemeral port) set publicBaseUrl after loading.
  return {
    ...values,
    secretsKey: resolveSecretsKey(values.SECRETS_KEY, values.SECRETS_KEY_FILE, embeddedDatabase),
    publicBaseUrl: (values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    embeddedDatabase,
    runMigrations: values.MIGRATIONS_RUN ?? embeddedDatabase,
    sandboxEnabled,
    revocation: values.REVOCATION ?? (values.NODE_ENV === 'production' ? 'soft' : 'off'),
    get cloudEdsBaseUrl(): string {
      const fallback = this.sandboxEnabled ? this.publicUrl('/sandbox') : CLOUD_EDS_HOSTS.dev.baseUrl;
      return (this.CLOUD_EDS_BASE_URL ?? fallback).replace(/\/+$/, '');
    },
    get cloudEdsSignUrl(): string {
      return this.CLOUD_EDS_SIGN_URL ?? (this.sandboxEnabled ? this.publicUrl('/sandbox/sign') : CLOUD_EDS_HOSTS.dev.signUrl);
    },
    get kycBaseUrl(): string {
      return (this.KYC_BASE_URL ?? (this.sandboxEnabled ? this.publicUrl('/sandbox/kyc') : KYC_HOSTS.baseUrl)).replace(/\/+$/, '');
    },
    get kycFlowUrl(): string {
      return (this.KYC_FLOW_URL ?? (this.sandboxEnabled ? this.publicUrl('/sandbox/remote') : KYC_HOSTS.flowUrl)).replace(/\/+$/, '');
    },
    get sandboxVerifyUrl(): string {
      return this.SANDBOX_VERIFY_URL ?? this.publicUrl('/verify/{checkId}');
    },
    /** An absolute URL on this service (links in mail, webhooks, provider redirects): `path` starts with `/`. */
    publicUrl(path: string): string {
      return `${this.publicBaseUrl}${path}`;
    },
    /** The public verification page, of one provider session when its check_id is known. */
    verifyPageUrl(checkId?: string | null): string {
      return this.publicUrl(checkId ? `/verify/${encodeURIComponent(checkId)}` : '/verify');
    },
  };
}

/**
 * SECRETS_KEY when given. The embedded setup generates one on first start and keeps it beside the data,
 * so a newcomer configures nothing; with an external database the key must be given explicitly.
 */
function resolveSecretsKey(value: string | undefined, file: string, embedded: boolean): Buffer {
  if (value) return Buffer.from(value, 'base64');
  if (!embedded) {
    throw new ConfigError(['SECRETS_KEY: required with DATABASE_URL; expected 32 random bytes in base64 (openssl rand -base64 32) (not set)']);
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`SECRETS_KEY_FILE: ${file} does not hold 32 bytes in base64`]);
  return key;
}
