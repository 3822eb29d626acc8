import type { Command } from 'commander';
import { withDatabase } from '../cli/cli-database.js';
import { OrganisationsService } from './organisations.service.js';

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** `kezek org …`: organisations and their API keys. */
export function registerOrganisationCommands(program: Command): void {
  const org = program.command('org').description('Organisations and their API keys');

  org
    .command('create')
    .description('Create an organisation and print its first API key (shown once)')
    .requiredOption('--name <name>', 'organisation name')
    .option('--json', 'print JSON')
    .action(async ({ name, json }: { name: string; json?: boolean }) => {
      await withDatabase(async (db) => {
        const { organisation, apiKey } = await new OrganisationsService(db).createOrganisation(name);
        print(json ?? false, { organisation, apiKey }, [
          `Organisation: ${organisation.name} (${organisation.id})`,
          `API key (shown once, store it now): ${apiKey.key}`,
          `Use it as: Authorization: Bearer ${apiKey.key}`,
        ].join('\n'));
      });
    });

  org
    .command('list')
    .description('List organisations')
    .option('--json', 'print JSON')
    .action(async ({ json }: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = await new OrganisationsService(db).listOrganisations();
        print(json ?? false, rows, rows.map((o) => `${o.id}  ${o.name}`).join('\n') || '(no organisations)');
      });
    });

  const key = org.command('key').description("An organisation's API keys");

  key
    .command('create')
    .description('Create another API key for an organisation (shown once)')
    .requiredOption('--org <id>', 'organisation id')
    .option('--label <label>', 'what the key is for', '')
    .option('--json', 'print JSON')
    .action(async ({ org: organisationId, label, json }: { org: string; label: string; json?: boolean }) => {
      await withDatabase(async (db) => {
        const apiKey = await new OrganisationsService(db).createApiKey(organisationId, label);
        print(json ?? false, apiKey, `API key (shown once, store it now): ${apiKey.key}`);
      });
    });

  key
    .command('list')
    .description("List an organisation's API keys (prefix only)")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print JSON')
    .action(async ({ org: organisationId, json }: { org: string; json?: boolean }) => {
      await withDatabase(async (db) => {
        const keys = await new OrganisationsService(db).listApiKeys(organisationId);
        const text = keys
          .map((k) => `${k.id}  kzk_${k.prefix}_…  ${k.label || '-'}  created ${k.createdAt.toISOString()}${k.revokedAt ? '  REVOKED' : ''}`)
          .join('\n');
        print(json ?? false, keys, text || '(no keys)');
      });
    });

  key
    .command('revoke')
    .description('Revoke an API key by id or prefix')
    .requiredOption('--org <id>', 'organisation id')
    .argument('<key>', 'key id or prefix')
    .action(async (idOrPrefix: string, { org: organisationId }: { org: string }) => {
      await withDatabase(async (db) => {
        const revoked = await new OrganisationsService(db).revokeApiKey(organisationId, idOrPrefix);
        process.stdout.write(`Revoked kzk_${revoked.prefix}_…\n`);
      });
    });
}
