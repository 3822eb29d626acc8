import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import type { CommandIo } from './verify.command.js';

/** Shown after `kezek --help`: one example per command. */
const EXAMPLES = `
Examples:
  kezek org create --name "Acme"                                   an organisation and its first API key
  kezek org list                                                   every organisation
  kezek org key create --org <org id> --label backend              another API key
  kezek org key list --org <org id>                                its API keys
  kezek org key revoke --org <org id> kzk_ab12                     revoke a key by id or prefix
  kezek org provider set --org <org id> --api-key <k> --webhook-secret <s>   Cloud EDS credentials
  kezek org kyc set --org <org id> --flow LD,F2F=<key> --backend-key <k>   identity product keys
  kezek user create --org <org id> --email a@acme.kz --role admin  a console user (prints a one-time password)
  kezek user list --org <org id>                                   console users
  kezek sandbox org create --name "Acme" --webhook-url <url>       a sandbox provider account
  kezek sandbox flow create --name Onboarding --technologies LD,F2F   a flow of the identity sandbox
  kezek sandbox org list                                           sandbox provider accounts
  kezek sandbox org update --id <id> --mode cosign                 change a sandbox account
  kezek sandbox ca > sandbox-ca.pem                                the sandbox CA certificate (PEM)
  kezek verify contract.pdf.p7s --trust sandbox-ca.pem             verify a CMS offline
  kezek verify-evidence evidence.zip --trust sandbox-ca.pem        check an evidence pack offline
`;

export const STDIO: CommandIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

/**
 * Runs the `kezek` command line on `argv` and resolves to the process exit code: the command's own, 64
 * for wrong usage (unknown command or option, missing argument), 1 for any other error.
 */
export async function runCli(argv: string[], io: CommandIo = STDIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('kezek')
    .description('Kezek command line: organisations and API keys, console users, the provider sandbox, verification')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  program.addHelpText('after', EXAMPLES);
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  // Each command's module is loaded only when that command runs (or for help): `verify` need not load the
  // database and framework code the organisation commands use, and starts in a fraction of a second.
  const commands: Record<string, () => Promise<void>> = {
    org: async () => (await import('../organisations/organisations.cli.js')).registerOrganisationCommands(program),
    sandbox: async () => (await import('../sandbox/sandbox.cli.js')).registerSandboxCommands(program),
    user: async () => (await import('../users/users.cli.js')).registerUserCommands(program),
    verify: async () => (await import('./verify.command.js')).registerVerifyCommand(program, io, setExitCode),
    'verify-evidence': async () => (await import('./verify-evidence.command.js')).registerVerifyEvidenceCommand(program, io, setExitCode),
  };
  const wanted = argv.slice(2).find((arg) => !arg.startsWith('-'));
  for (const [name, register] of Object.entries(commands)) {
    if (wanted === undefined || !(wanted in commands) || wanted === name) await register();
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    io.err(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
