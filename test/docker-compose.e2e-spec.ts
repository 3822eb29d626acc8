/**
 * Docker cannot run here, so the deployment files are checked by what they feed the service: every Kezek
 * service of docker-compose.yml, with the variables of a `.env` made as the README says, must be accepted by
 * the service's own config loader; and the Dockerfile must build the way the README promises.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../src/config/app-config.js';

const root = join(import.meta.dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: string; image?: string; environment?: Record<string, string>; volumes?: string[]; depends_on?: Record<string, unknown> }>;
};

/** `.env.example` with its blank secrets filled in the way the README's commands make them. */
function dotEnv(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(join(root, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  values.SECRETS_KEY ||= randomBytes(32).toString('base64'); // openssl rand -base64 32
  values.POSTGRES_PASSWORD ||= randomBytes(16).toString('hex'); // openssl rand -hex 16
  return values;
}

/** Docker Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}; anything else is refused. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)(.*))?$/.exec(expression);
    if (!match) throw new Error(`unsupported interpolation \${${expression}}`);
    const [, name, operator, argument] = match;
    const value = env[name];
    if (value) return value;
    if (operator === ':-') return argument;
    throw new Error(operator === ':?' ? `${name}: ${argument}` : `${name} is not set`);
  });
}

function environmentOf(service: string, env: Record<string, string>): Record<string, string> {
  const raw = compose.services[service].environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), env)]));
}

const kezekServices = Object.entries(compose.services)
  .filter(([, service]) => service.build === '.')
  .map(([name]) => name);

describe('docker-compose.yml and the Dockerfile', () => {
  it('runs Kezek twice on one PostgreSQL: one instance with the jobs and migrations, one API-only', () => {
    expect(kezekServices.sort()).toEqual(['kezek', 'kezek-api']);
    const env = dotEnv();
    const main = loadConfig(environmentOf('kezek', env));
    const api = loadConfig(environmentOf('kezek-api', env));
    for (const config of [main, api]) {
      expect(config.embeddedDatabase).toBe(false);
      expect(config.DATABASE_URL).toBe(`postgres://kezek:${env.POSTGRES_PASSWORD}@postgres:5432/kezek`);
      expect(config.secretsKey.equals(Buffer.from(env.SECRETS_KEY, 'base64'))).toBe(true);
      expect(config.NODE_ENV).toBe('production');
      expect(config.sandboxEnabled).toBe(false);
    }
    expect([main.runMigrations, main.JOBS_WORKERS_ENABLED]).toEqual([true, true]);
    expect([api.runMigrations, api.JOBS_WORKERS_ENABLED]).toEqual([false, false]);
    expect(compose.services['kezek-api'].depends_on).toHaveProperty('kezek');
    expect(environmentOf('postgres', env).POSTGRES_PASSWORD).toBe(env.POSTGRES_PASSWORD);
  });

  it('mounts the trust anchors from .env where TRUST_ANCHORS_FILE points', () => {
    const env = dotEnv();
    for (const name of kezekServices) {
      const config = loadConfig(environmentOf(name, env));
      const mounts = (compose.services[name].volumes ?? []).map((volume) => interpolate(volume, env).split(':'));
      expect(mounts).toContainEqual([env.TRUST_ANCHORS_PEM, config.TRUST_ANCHORS_FILE, 'ro']);
    }
  });

  it('stops with the missing setting named when .env lacks a secret', () => {
    const env = dotEnv();
    delete (env as Partial<typeof env>).SECRETS_KEY;
    expect(() => environmentOf('kezek', env)).toThrow(/SECRETS_KEY: set SECRETS_KEY in \.env/);
    // Had compose passed it through empty, the service itself would refuse to start.
    const withEmptyKey = { ...environmentOf('kezek', { ...dotEnv(), SECRETS_KEY: 'x' }), SECRETS_KEY: '' };
    expect(() => loadConfig(withEmptyKey)).toThrow(ConfigError);
  });

  it('builds with npm ci on Node 24 slim, runs as a non-root user and checks readiness', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.every((stage) => stage.startsWith('node:24-bookworm-slim'))).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).not.toMatch(/npm install/);
    const finalStage = stages.at(-1)!;
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\/health\/ready/ms);
    expect(finalStage).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });
});
