import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { withDatabase } from '../cli/cli-database.js';
import { loadConfig } from '../config/app-config.js';
import { SandboxClock } from './sandbox-clock.js';
import { SandboxOrganisationsService, type SigningMode } from './sandbox-organisations.service.js';
import { SandboxPeopleService } from './sandbox-people.service.js';
import { registerSandboxKycCommands } from './kyc/sandbox-kyc.cli.js';

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

function mode(value: string | undefined): SigningMode | undefined {
  if (value === undefined) return undefined;
  if (value !== 'nest' && value !== 'cosign') throw new Error('--mode: nest or cosign');
  return value;
}

/** `kezek sandbox org create`: the text it prints (exported so it can be exercised without a process). */
export async function createSandboxOrganisationCommand(
  db: DataSource,
  options: { name: string; webhookUrl?: string; mode?: string; detached?: boolean },
): Promise<{ value: unknown; text: string }> {
  const created = await new SandboxOrganisationsService(db).create({
    name: options.name,
    webhookUrl: options.webhookUrl ?? null,
    mode: mode(options.mode),
    detached: options.detached ?? false,
  });
  return {
    value: created,
    text: [
      `Sandbox organisation: ${created.name} (${created.id})`,
      `API key (shown once, store it now): ${created.apiKey}`,
      `Webhook secret: ${created.webhookSecret}`,
      `Webhook URL: ${created.webhookUrl ?? '(none)'}   signing mode: ${created.mode}${created.detached ? ', detached' : ''}`,
      `Use it as the header x-api-key: ${created.apiKey} against <PUBLIC_BASE_URL>/sandbox/api/v1/session/...`,
    ].join('\n'),
  };
}

/** `kezek sandbox …`: organisations of the local Cloud EDS sandbox, and its CA. */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('The local Cloud EDS sandbox: its organisations and CA');
  const org = sandbox.command('org').description('Sandbox provider organisations (API key + webhook secret)');

  org
    .command('create')
    .description('Create a sandbox organisation and print its API key (shown once) and webhook secret')
    .requiredOption('--name <name>', 'organisation name')
    .option('--webhook-url <url>', 'where session webhooks are posted')
    .option('--mode <mode>', 'signing of uploaded CMS: nest (wrap) or cosign (add a signerInfo)', 'nest')
    .option('--detached', 'return detached CMS')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; webhookUrl?: string; mode?: string; detached?: boolean; json?: boolean }) => {
      await withDatabase(async (db) => {
        const { value, text } = await createSandboxOrganisationCommand(db, options);
        print(options.json ?? false, value, text);
      });
    });

  org
    .command('list')
    .description('List sandbox organisations')
    .option('--json', 'print JSON')
    .action(async ({ json }: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = await new SandboxOrganisationsService(db).list();
        const text = rows.map((o) => `${o.id}  ${o.name}  mode=${o.mode}${o.detached ? ' detached' : ''}  webhook=${o.webhookUrl ?? '-'}${o.active ? '' : '  INACTIVE'}`).join('\n');
        print(json ?? false, rows, text || '(no sandbox organisations)');
      });
    });

  org
    .command('update')
    .description('Change a sandbox organisation')
    .requiredOption('--id <id>', 'sandbox organisation id')
    .option('--webhook-url <url>', 'webhook URL ("none" removes it)')
    .option('--mode <mode>', 'nest or cosign')
    .option('--detached <bool>', 'true or false')
    .option('--active <bool>', 'true or false (an inactive organisation gets "Organization not found")')
    .option('--json', 'print JSON')
    .action(async (options: { id: string; webhookUrl?: string; mode?: string; detached?: string; active?: string; json?: boolean }) => {
      await withDatabase(async (db) => {
        const bool = (value: string | undefined) => (value === undefined ? undefined : value === 'true');
        const updated = await new SandboxOrganisationsService(db).update(options.id, {
          webhookUrl: options.webhookUrl === undefined ? undefined : options.webhookUrl === 'none' ? null : options.webhookUrl,
          mode: mode(options.mode),
          detached: bool(options.detached),
          active: bool(options.active),
        });
        print(options.json ?? false, updated, `Updated ${updated.name} (${updated.id})`);
      });
    });

  registerSandboxKycCommands(sandbox);

  sandbox
    .command('ca')
    .description('Print the sandbox CA certificate (PEM), generating it on first use')
    .action(async () => {
      await withDatabase(async (db) => {
        process.stdout.write(await new SandboxPeopleService(db, new SandboxClock(), loadConfig()).caPem());
      });
    });
}
