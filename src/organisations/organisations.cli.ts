import type { Command } from 'commander';
import { withDatabase } from '../cli/cli-database.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { loadConfig } from '../config/app-config.js';
import { registerKycCommands } from '../kyc/kyc.cli.js';
import { Organisation } from './organisation.entity.js';
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

  registerProviderCommands(org);
  registerKycCommands(org);

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

/** `kezek org provider set`: the organisation's own Cloud EDS credentials, sealed with SECRETS_KEY. */
export function registerProviderCommands(org: Command): void {
  org
    .command('provider')
    .description("An organisation's Cloud EDS account")
    .command('set')
    .description('Store the Cloud EDS API key and webhook secret of an organisation (encrypted at rest)')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--api-key <key>', 'the Cloud EDS x-api-key issued by the provider')
    .requiredOption('--webhook-secret <secret>', "the webhook secret from the provider's personal cabinet")
    .action(async ({ org: organisationId, apiKey, webhookSecret }: { org: string; apiKey: string; webhookSecret: string }) => {
      const box = new SecretBox(loadConfig().secretsKey);
      await withDatabase(async (db) => {
        const result = await db
          .getRepository(Organisation)
          .update({ id: organisationId }, { providerApiKeySealed: box.seal(apiKey), providerWebhookSecretSealed: box.seal(webhookSecret) });
        if (!result.affected) throw new Error(`Organisation ${organisationId} not found`);
        process.stdout.write(`Cloud EDS credentials stored for ${organisationId}.\nPoint the provider's webhook at: <PUBLIC_BASE_URL>/v1/provider-webhooks/cloud-eds/${organisationId}\n`);
      });
    });
}
