import { z } from 'zod';

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
  EMBEDDED_DB_DIR: z.string().min(1).default('.kezek/pg'),
  EMBEDDED_DB_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(1).max(65535).default(54329),
  TRUST_PROXY: booleanString.default(false),
  MAX_DOCUMENT_BYTES: z.coerce.number({ message: 'expected a size in bytes' }).int().positive().default(10 * 1024 * 1024),
});

export type AppConfig = z.infer<typeof configSchema> & {
  /** The URL users and signers reach this service at (links, QR codes, redirects). */
  publicBaseUrl: string;
  /** True when no DATABASE_URL is set and Kezek runs its own PostgreSQL under EMBEDDED_DB_DIR. */
  embeddedDatabase: boolean;
  /** Whether pending migrations run at start: always with the embedded database, else only when asked. */
  runMigrations: boolean;
};

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
  const embeddedDatabase = values.DATABASE_URL === undefined;
  return {
    ...values,
    publicBaseUrl: (values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    embeddedDatabase,
    runMigrations: values.MIGRATIONS_RUN ?? embeddedDatabase,
  };
}
