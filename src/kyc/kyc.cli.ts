import type { Command } from 'commander';
import { withDatabase } from '../cli/cli-database.js';
import { loadConfig } from '../config/app-config.js';
import { KycCredentialsStore, parseTechnologies } from './kyc-credentials.service.js';

/** `--flow LD,F2F=<api key>`, repeatable. */
function flowOption(value: string, previous: { technologies: string[]; apiKey: string }[] = []): { technologies: string[]; apiKey: string }[] {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error('--flow: expected TECHNOLOGIES=API_KEY, e.g. LD,F2F=<flow api key>');
  return [...previous, { technologies: parseTechnologies(value.slice(0, at)), apiKey: value.slice(at + 1) }];
}

/** `kezek org kyc set`: an organisation's identity keys (flow API keys, E-Document backend key), sealed with SECRETS_KEY. */
export function registerKycCommands(org: Command): void {
  org
    .command('kyc')
    .description("An organisation's keys for the identity products (Flow Remote, E-Document)")
    .command('set')
    .description('Store flow API keys and the E-Document backend key of an organisation (encrypted at rest)')
    .requiredOption('--org <id>', 'organisation id')
    .option('--flow <technologies=key>', 'a flow of the personal cabinet, e.g. LD,F2F=<api key> (repeatable)', flowOption)
    .option('--backend-key <key>', 'the Backend Api Key (E-Document)')
    .option('--keep-media-days <days|off>', "keep the provider's identity media (liveness video, state ID face photo), sealed, this many days; off: keep none (the default)")
    .option('--json', 'print JSON')
    .action(async (options: { org: string; flow?: { technologies: string[]; apiKey: string }[]; backendKey?: string; keepMediaDays?: string; json?: boolean }) => {
      if (!options.flow && options.backendKey === undefined && options.keepMediaDays === undefined) throw new Error('Give at least one --flow, --backend-key or --keep-media-days');
      const mediaRetentionDays = options.keepMediaDays === undefined ? undefined : options.keepMediaDays === 'off' ? null : Number(options.keepMediaDays);
      const secretsKey = loadConfig().secretsKey;
      await withDatabase(async (db) => {
        const view = await new KycCredentialsStore(db, secretsKey).set(options.org, { backendApiKey: options.backendKey, flows: options.flow, mediaRetentionDays });
        const text = [
          `Identity keys stored for ${view.organisationId}.`,
          `E-Document backend key: ${view.hasBackendApiKey ? 'set' : 'not set'}`,
          `Flows: ${view.flows.map((f) => f.technologies.join('+')).join(', ') || '(none)'}`,
          `Identity media: ${view.mediaRetentionDays ? `kept sealed for ${view.mediaRetentionDays} days` : 'not kept'}`,
        ].join('\n');
        process.stdout.write(options.json ? `${JSON.stringify(view, null, 2)}\n` : `${text}\n`);
      });
    });
}
