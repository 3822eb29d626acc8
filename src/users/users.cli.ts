import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { withDatabase } from '../cli/cli-database.js';
import { UsersService } from './users.service.js';

export interface CreateUserOptions {
  org: string;
  email: string;
  role: string;
  password?: string;
  json?: boolean;
}

/** `kezek user create`: the printed answer; the generated password appears only when none was given. */
export async function createUserCommand(db: DataSource, options: CreateUserOptions): Promise<string> {
  const { user: created, password } = await new UsersService(db).createUser(options.org, options.email, options.role, options.password);
  const shown = options.password ? undefined : password;
  return options.json
    ? `${JSON.stringify({ user: created, ...(shown ? { password: shown } : {}) }, null, 2)}\n`
    : [`User: ${created.email} (${created.role}, ${created.id})`, ...(shown ? [`One-time password (shown once): ${shown}`] : []), 'Sign in at /console/login'].join('\n') + '\n';
}

/** `kezek user …`: console users of an organisation. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description("Console users of an organisation");

  user
    .command('create')
    .description('Create a console user; without --password a one-time password is printed (change it after signing in)')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--email <email>', 'the address the user signs in with')
    .requiredOption('--role <role>', 'owner, admin, member or viewer')
    .option('--password <password>', 'the password (at least 10 characters)')
    .option('--json', 'print JSON')
    .action(async (options: CreateUserOptions) => {
      await withDatabase(async (db) => {
        process.stdout.write(await createUserCommand(db, options));
      });
    });

  user
    .command('list')
    .description("List an organisation's console users")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print JSON')
    .action(async (options: { org: string; json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = await new UsersService(db).listUsers(options.org);
        process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${rows.map((u) => `${u.id}  ${u.role.padEnd(6)}  ${u.status.padEnd(8)}  ${u.email}`).join('\n') || '(no users)'}\n`);
      });
    });
}
