import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `kezek verify` must start in well under a second, so what it loads is bounded: it follows the static
 * imports (type-only imports cost nothing at run time; the other commands are loaded lazily) from the entry
 * point through the verify command, and checks that none of the service's heavy packages is reached.
 */
const CLI = dirname(fileURLToPath(import.meta.url));
const HEAVY = /^(@nestjs\/|typeorm$|pg$|pg-boss$|zod$|pino$|nestjs-pino$|pdf-lib$|nodemailer$|prom-client$|express$|xstate$)/;

function loadedBy(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?'([^']+)'/gm)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target);
      } else if (!specifier.startsWith('node:')) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    }
  };
  entries.forEach((entry) => visit(resolve(CLI, entry)));
  return { files, packages };
}

describe('kezek verify start-up', () => {
  const { files, packages } = loadedBy(['kezek.ts', 'verify.command.ts']);

  it('loads the CMS core (its own DER reader) and the command line parser, nothing of the service', () => {
    expect([...packages].filter((name) => HEAVY.test(name))).toEqual([]);
    expect(packages).toContain('commander');
    expect([...files].some((file) => file.includes('/config/'))).toBe(false);
  });

  it('finds the imports it bounds (the walk reaches the verifier)', () => {
    expect([...files].some((file) => file.endsWith('/cms/verify-cms.ts'))).toBe(true);
    expect(files.size).toBeGreaterThan(10);
  });
});
