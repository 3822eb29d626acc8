#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/app-config.js';
import { registerOrganisationCommands } from '../organisations/organisations.cli.js';
import { registerSandboxCommands } from '../sandbox/sandbox.cli.js';

/** Exit code for wrong usage (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

const program = new Command('kezek')
  .description('Kezek command line: organisations and API keys, the Cloud EDS sandbox, verification')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerOrganisationCommands(program);
registerSandboxCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
