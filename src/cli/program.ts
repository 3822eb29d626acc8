import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/app-config.js';
import { registerOrganisationCommands } from '../organisations/organisations.cli.js';
import { registerSandboxCommands } from '../sandbox/sandbox.cli.js';
import { registerUserCommands } from '../users/users.cli.js';
import { EXIT_USAGE } from './exit-codes.js';
import { registerVerifyEvidenceCommand } from './verify-evidence.command.js';
import { registerVerifyCommand, type CommandIo } from './verify.command.js';

export const STDIO: CommandIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/**
 * Runs the `kezek` command line on `argv` and resolves to the process exit code: the command's own, 64
 * for wrong usage (unknown command or option, missing argument), 1 for any other error.
 */
export async function runCli(argv: string[], io: CommandIo = STDIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('kezek')
    .description('Kezek command line: organisations and API keys, console users, the Cloud EDS sandbox, verification')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  registerOrganisationCommands(program);
  registerSandboxCommands(program);
  registerUserCommands(program);
  registerVerifyCommand(program, io, (code) => {
    exitCode = code;
  });
  registerVerifyEvidenceCommand(program, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    io.err(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
