import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rule, checked on every production file's imports (type imports included):
 * - a feature folder imports only folders of a lower layer (its own folder aside): dependencies go one way;
 * - production code never imports src/sandbox/, except the wiring points that plug it in.
 * Tests (*.spec.ts) may use anything, e.g. the sandbox CA for real keys.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

/** Lowest first. A folder may import folders of earlier rows only; folders in one row are independent. */
const LAYERS: string[][] = [
  ['client'],
  ['config'],
  ['common'],
  ['web'],
  ['cms', 'database'],
  ['trust'],
  ['metrics'],
  ['jobs', 'cloud-eds', 'audit'],
  ['kyc'],
  ['organisations'],
  ['users'],
  ['webhooks'],
  ['envelopes'],
  ['signing-rounds'],
  ['archives'],
  ['verification'],
  ['evidence', 'health'],
  ['notifications'],
  ['console'],
  ['sandbox'],
  ['cli'],
];

/** Files that wire everything together (and so may import any folder, the sandbox included). */
const WIRING = new Set(['app.module.ts', 'main.ts', 'bootstrap.ts', 'database/entities.ts', 'database/typeorm-options.ts', 'database/data-source.ts', 'cli/program.ts']);

/** Known exceptions, each with its reason. Keep this list short. */
const ALLOWED: Record<string, string> = {
  // The integrators' envelope view lists each signer's rounds (read only).
  'envelopes/envelope.presenter.ts -> signing-rounds/signing-round.entity.ts': 'read model',
  // Feature CLI commands open the database the way every command does.
  'organisations/organisations.cli.ts -> cli/cli-database.ts': 'cli helper',
  'sandbox/sandbox.cli.ts -> cli/cli-database.ts': 'cli helper',
  'kyc/kyc.cli.ts -> cli/cli-database.ts': 'cli helper',
  'users/users.cli.ts -> cli/cli-database.ts': 'cli helper',
  // Provider webhooks without valid signature headers are refused before their body is read: the header rules
  // live with the signature scheme.
  'common/http/body-limits.ts -> cloud-eds/webhook-signature.ts': 'pre-body check',
  // TRUST_PROXY is validated at boot with the same parser the app uses for client addresses.
  'config/app-config.ts -> common/http/client-address.ts': 'one parser',
  'sandbox/kyc/sandbox-kyc.cli.ts -> cli/cli-database.ts': 'cli helper',
};

function productionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : productionFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|(?:^|\n)\s*import\s+'(\.[^']+)'/g)].map((m) => m[1] ?? m[2]);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
}

const layerOf = (folder: string) => LAYERS.findIndex((row) => row.includes(folder));
const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0] : '');

describe('dependency rule', () => {
  const files = productionFiles(SRC).map((f) => relative(SRC, f));

  it('every feature folder has a layer', () => {
    const folders = [...new Set(files.map(folderOf).filter(Boolean))];
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('no folder imports a folder above it or beside it', () => {
    const violations: string[] = [];
    for (const file of files) {
      if (WIRING.has(file)) continue;
      const from = folderOf(file);
      for (const target of importsOf(join(SRC, file))) {
        const to = folderOf(target);
        if (!to || to === from || target.startsWith('..')) continue;
        if (layerOf(to) < layerOf(from)) continue;
        if (`${file} -> ${target}` in ALLOWED) continue;
        violations.push(`${file} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('production code reaches the sandbox only through the wiring points', () => {
    const reaches = files
      .filter((file) => folderOf(file) !== 'sandbox' && !WIRING.has(file))
      .flatMap((file) => importsOf(join(SRC, file)).filter((t) => folderOf(t) === 'sandbox').map((t) => `${file} -> ${t}`))
      .filter((edge) => !(edge in ALLOWED));
    expect(reaches).toEqual([]);
  });

  it('the rule sees imports (it is not vacuous)', () => {
    expect(importsOf(join(SRC, 'signing-rounds/signing-rounds.module.ts'))).toContain('envelopes/envelopes.module.ts');
  });
});
