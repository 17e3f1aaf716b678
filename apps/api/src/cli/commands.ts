import { Command, InvalidArgumentError } from 'commander';
import type { AliasService } from '../directory/alias.service.js';
import type { DirectoryService } from '../directory/directory.service.js';
import { readPassword } from './read-password.js';

export interface CliContext {
  directory(): Promise<DirectoryService>;
  aliases(): Promise<AliasService>;
  /** Prints a result: a table/line for people, JSON with --json for scripts. */
  print(human: string, data: unknown): void;
}

const quota = (v: string): bigint => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('quota is a whole number of MiB (0 = unlimited)');
  return BigInt(v) * 1024n * 1024n;
};

const table = (rows: string[][]): string => {
  if (rows.length === 0) return '(none)';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

/** The command tree, in the spirit of doveadm/mox: `correio <object> <verb> [args]`. */
export function buildProgram(ctx: CliContext): Command {
  // exitOverride before any subcommand exists, so that all of them inherit it (usage errors → exit 2).
  const program = new Command('correio').description('Correio administration').option('--json', 'print results as JSON').exitOverride();

  const domain = program.command('domain').description('mail domains served here');
  domain.command('add <name>').description('add a domain').action(async (name: string) => {
    const d = await (await ctx.directory()).addDomain(name);
    ctx.print(`domain ${d.name} added`, d);
  });
  domain.command('list').description('list domains').action(async () => {
    const list = await (await ctx.directory()).listDomains();
    ctx.print(
      table([['DOMAIN', 'ACCOUNTS', 'ALIASES', 'CATCH-ALL'], ...list.map((d) => [d.name, String(d.accounts), String(d.aliases), d.catchAll ?? '-'])]),
      list,
    );
  });
  domain
    .command('catch-all <name> [address]')
    .description('deliver mail for unknown addresses of the domain to <address>; --off to stop')
    .option('--off', 'remove the catch-all')
    .action(async (name: string, address: string | undefined, o: { off?: boolean }) => {
      if (!address && !o.off) throw new InvalidArgumentError('give an address, or --off');
      await (await ctx.directory()).setCatchAll(name, o.off ? null : address!);
      ctx.print(o.off ? `catch-all of ${name} removed` : `catch-all of ${name} → ${address}`, { domain: name, catchAll: o.off ? null : address });
    });
  domain
    .command('dns <name>')
    .description('the DNS records to publish for the domain (MX, SPF, DMARC, DKIM), as zone-file lines')
    .option('--mx <host>', 'the host name of this server in the MX record', 'mail.<domain>')
    .action(async (name: string, o: { mx: string }) => {
      const records = await (await ctx.directory()).dnsRecords(name, o.mx.replace('<domain>', name.toLowerCase()));
      ctx.print(records.map((r) => `; ${r.purpose}\n${r.zone}`).join('\n'), records);
    });
  domain.command('remove <name>').description('remove a domain without accounts').action(async (name: string) => {
    await (await ctx.directory()).removeDomain(name);
    ctx.print(`domain ${name} removed`, { removed: name });
  });

  const account = program.command('account').description('mail accounts (logins with mailboxes)');
  account
    .command('add <address>')
    .description('add an account (its domain is added if new)')
    .option('--password <password>', 'the password (visible in the process list: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--admin', 'give the account the admin role')
    .option('--name <displayName>', 'display name', '')
    .option('--quota <MiB>', 'storage quota in MiB, 0 = unlimited', quota)
    .action(async (address: string, o: { password?: string; passwordStdin?: boolean; admin?: boolean; name: string; quota?: bigint }) => {
      const { password, generated } = await readPassword(o);
      const a = await (await ctx.directory()).addAccount({ address, password, role: o.admin ? 'admin' : 'user', displayName: o.name, quotaBytes: o.quota });
      const lines = [`account ${a.address} added${a.domainCreated ? ` (domain ${a.address.split('@')[1]} added)` : ''}`];
      if (generated) lines.push(`password: ${password}`);
      ctx.print(lines.join('\n'), { ...a, ...(generated ? { password } : {}) });
    });
  account
    .command('list')
    .description('list accounts')
    .option('--domain <domain>', 'only this domain')
    .action(async (o: { domain?: string }) => {
      const list = await (await ctx.directory()).listAccounts(o.domain);
      const mib = (b: string) => (Number(b) / 1048576).toFixed(1);
      ctx.print(
        table([['ADDRESS', 'ROLE', 'USED MiB', 'QUOTA MiB', 'STATE'], ...list.map((a) => [a.address, a.role, mib(a.usedBytes), a.quotaBytes === '0' ? '-' : mib(a.quotaBytes), a.disabled ? 'disabled' : 'active'])]),
        list,
      );
    });
  account
    .command('password <address>')
    .description("set an account's password")
    .option('--password <password>', 'the new password')
    .option('--password-stdin', 'read it from the first line of standard input')
    .action(async (address: string, o: { password?: string; passwordStdin?: boolean }) => {
      const { password, generated } = await readPassword(o);
      await (await ctx.directory()).setPassword(address, password);
      ctx.print(`password of ${address} changed${generated ? `\npassword: ${password}` : ''}`, { address, ...(generated ? { password } : {}) });
    });
  account.command('remove <address>').description('remove an account and all its mail').action(async (address: string) => {
    await (await ctx.directory()).removeAccount(address);
    ctx.print(`account ${address} removed`, { removed: address });
  });

  const alias = program.command('alias').description('addresses that deliver to accounts');
  alias.command('add <address> <destination>').description('deliver mail for <address> to <destination> (repeat for several)').action(async (address: string, destination: string) => {
    await (await ctx.aliases()).addAlias(address, destination);
    ctx.print(`alias ${address} → ${destination} added`, { address, destination });
  });
  alias.command('list').description('list aliases').action(async () => {
    const list = await (await ctx.aliases()).listAliases();
    ctx.print(table([['ALIAS', 'DESTINATION'], ...list.map((a) => [a.address, a.destination])]), list);
  });
  alias.command('remove <address> [destination]').description('remove an alias (all its destinations unless one is given)').action(async (address: string, destination?: string) => {
    await (await ctx.aliases()).removeAlias(address, destination);
    ctx.print(`alias ${address}${destination ? ` → ${destination}` : ''} removed`, { removed: address, destination });
  });
  return program;
}
