import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { withDatabase } from '../../cli/cli-database.js';
import { loadConfig } from '../../config/app-config.js';
import { SandboxKycAccountsService } from './sandbox-kyc-accounts.service.js';

/** `kezek sandbox flow create`: what it prints (exported so it can be exercised without a process). */
export async function createSandboxFlowCommand(
  db: DataSource,
  secretsKey: Buffer,
  options: { name: string; technologies: string; client?: string; webhookUrl?: string },
): Promise<{ value: { apiKey: string; technologies: string[]; backendApiKey: string }; text: string }> {
  const created = await new SandboxKycAccountsService(db, { secretsKey }).createFlow({ name: options.name, technologies: options.technologies, clientId: options.client, webhookUrl: options.webhookUrl });
  return {
    value: { apiKey: created.apiKey, technologies: created.technologies, backendApiKey: created.backendApiKey },
    text: [
      `Sandbox flow: ${options.name} (${created.flowId}), client ${created.clientId}`,
      `Technologies: ${created.technologies.join(', ')}`,
      `API KEY (shown once, store it now): ${created.apiKey}`,
      `Backend Api Key (E-Document): ${created.backendApiKey}`,
      `API host: <PUBLIC_BASE_URL>/sandbox/kyc   person's pages: <PUBLIC_BASE_URL>/sandbox/remote/flow/<session_id>`,
      `Another flow for the same client: --client ${created.clientId}`,
    ].join('\n'),
  };
}

/** `kezek sandbox flow …`: flows of the identity sandbox, as the provider's personal cabinet makes them. */
export function registerSandboxKycCommands(sandbox: Command): void {
  sandbox
    .command('flow')
    .description('Flows of the identity sandbox (Flow Remote / WebView, E-Document)')
    .command('create')
    .description('Create a flow and print its API KEY, its technologies and the Backend Api Key of its client')
    .requiredOption('--name <name>', 'flow name')
    .requiredOption('--technologies <list>', 'comma-separated: LD, F2F, ED, DR (e.g. LD,F2F)')
    .option('--client <id>', 'add the flow to an existing sandbox client (same Backend Api Key)')
    .option('--webhook-url <url>', 'where the flow sends technology.start / technology.end webhooks (e.g. <PUBLIC_BASE_URL>/v1/kyc-webhooks/flows)')
    .option('--json', 'print exactly {apiKey, technologies, backendApiKey} as JSON')
    .action(async (options: { name: string; technologies: string; client?: string; webhookUrl?: string; json?: boolean }) => {
      const secretsKey = loadConfig().secretsKey;
      await withDatabase(async (db) => {
        const { value, text } = await createSandboxFlowCommand(db, secretsKey, options);
        process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
      });
    });
}
