import { Inject, Injectable } from '@nestjs/common';
import type { Account, Alias, DkimKey, Domain, Pool, PoolClient, PrismaClient } from '@correio/db';
import type { NewDkimKey } from '../dkim-keys.js';
import { DB_FEATURES, type DbFeatures, PG_POOL, PRISMA } from '../../database/database.module.js';

/** The account fields AccountInfo shows, as one plain statement returns them. */
export type AccountInfoRow = Pick<Account, 'address' | 'displayName' | 'role' | 'disabled' | 'lastLoginAt' | 'deleteRequestedAt'> & {
  id: string;
  quotaBytes: string;
  usedBytes: string;
};

/** The columns of an AccountInfoRow, for every statement that returns one. */
export const ACCOUNT_INFO_COLUMNS = `id, address, display_name AS "displayName", role, quota_bytes AS "quotaBytes", used_bytes AS "usedBytes",
  disabled, last_login_at AS "lastLoginAt", delete_requested_at AS "deleteRequestedAt"`;

export interface NewAccount {
  domainId: bigint;
  address: string;
  passwordHash: string;
  role: 'admin' | 'user';
  displayName: string;
  quotaBytes: bigint;
}

/** The directory's reads, and its writes that need no caller's transaction; the admin writes are DirectoryWriteRepository's. */
@Injectable()
export class DirectoryRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  findDomain(name: string): Promise<Domain | null> {
    return this.prisma.domain.findUnique({ where: { name } });
  }

  listDomains(): Promise<(Domain & { _count: { accounts: number; aliases: number } })[]> {
    return this.prisma.domain.findMany({
      orderBy: { name: 'asc' },
      include: { _count: { select: { accounts: true, aliases: true } } },
    });
  }

  listDkimKeys(domainId: bigint): Promise<DkimKey[]> {
    return this.prisma.dkimKey.findMany({ where: { domainId, active: true }, orderBy: { id: 'asc' } });
  }

  /** Keys to publish in DNS: those signing now and those waiting to take over (issue 14 rotation). */
  listPublishedDkimKeys(domainId: bigint): Promise<DkimKey[]> {
    return this.prisma.dkimKey.findMany({ where: { domainId, retiredAt: null }, orderBy: { id: 'asc' } });
  }

  countPendingDkimKeys(domainId: bigint): Promise<number> {
    return this.prisma.dkimKey.count({ where: { domainId, active: false, retiredAt: null } });
  }

  async addDkimKeys(domainId: bigint, keys: NewDkimKey[]): Promise<void> {
    await this.prisma.dkimKey.createMany({ data: keys.map((k) => ({ ...k, domainId })), skipDuplicates: true });
  }

  countAccountsInDomain(domainId: bigint): Promise<number> {
    return this.prisma.account.count({ where: { domainId } });
  }

  countAccounts(role?: 'admin' | 'user'): Promise<number> {
    return this.prisma.account.count({ where: role ? { role } : {} });
  }

  findAccountByAddress(address: string): Promise<Account | null> {
    return this.prisma.account.findUnique({ where: { address } });
  }

  findAccountById(id: bigint): Promise<Account | null> {
    return this.prisma.account.findUnique({ where: { id } });
  }

  /**
   * The account by id, only what AccountInfo shows, as one prepared statement: every
   * authenticated request reads it (AuthService.validate), and building the query through Prisma
   * cost about as much API CPU as the rest of a 50-message list page (issue 12's API target).
   */
  async findAccountInfoById(id: string): Promise<AccountInfoRow | null> {
    if (!/^[0-9]{1,19}$/.test(id)) return null;
    const { rows } = await this.pool.query<AccountInfoRow>({
      name: this.features.preparedStatements ? 'correio-account-info' : undefined,
      text: `SELECT ${ACCOUNT_INFO_COLUMNS} FROM accounts WHERE id = $1`,
      values: [id],
    });
    return rows[0] ?? null;
  }

  listAccounts(domainId?: bigint): Promise<Account[]> {
    return this.prisma.account.findMany({ where: domainId ? { domainId } : {}, orderBy: { address: 'asc' } });
  }

  /** Inserts with the caller's pg transaction, so the account and its mailboxes commit together. */
  async createAccount(tx: Pick<PoolClient, 'query'>, a: NewAccount): Promise<string> {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO accounts (domain_id, address, password_hash, role, display_name, quota_bytes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [a.domainId, a.address, a.passwordHash, a.role, a.displayName, a.quotaBytes],
    );
    return rows[0]!.id;
  }

  /** Address order, keyset on address; `search` (lower case) matches address or display name. */
  searchAccounts(search: string | undefined, after: string | undefined, limit: number): Promise<Account[]> {
    return this.prisma.account.findMany({
      where: {
        ...(after ? { address: { gt: after } } : {}),
        ...(search ? { OR: [{ address: { contains: search } }, { displayName: { contains: search, mode: 'insensitive' } }] } : {}),
      },
      orderBy: { address: 'asc' },
      take: limit,
    });
  }

  updateAccount(id: bigint, c: { displayName?: string; quotaBytes?: bigint; role?: 'admin' | 'user'; disabled?: boolean }): Promise<Account> {
    return this.prisma.account.update({ where: { id }, data: { displayName: c.displayName, quotaBytes: c.quotaBytes, role: c.role, disabled: c.disabled } });
  }

  nextPendingRemoval(): Promise<Account | null> {
    return this.prisma.account.findFirst({ where: { deleteRequestedAt: { not: null } }, orderBy: { deleteRequestedAt: 'asc' } });
  }

  /** At most one write a minute per account: a busy IMAP client logs in often. */
  async recordLogin(id: bigint): Promise<void> {
    await this.prisma.$executeRaw`UPDATE accounts SET last_login_at = now()
      WHERE id = ${id} AND (last_login_at IS NULL OR last_login_at < now() - interval '1 minute')`;
  }

  async updatePassword(id: bigint, passwordHash: string): Promise<void> {
    await this.prisma.account.update({ where: { id }, data: { passwordHash } });
  }

  /** Locks the account row until the caller's transaction ends; false when there is no such account. */
  async lockAccount(tx: Pick<PoolClient, 'query'>, id: bigint): Promise<boolean> {
    const { rowCount } = await tx.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [id]);
    return rowCount === 1;
  }

  /** Deletes the account row (its sessions go with it, by foreign key) in the caller's transaction. */
  async deleteAccount(tx: Pick<PoolClient, 'query'>, id: bigint): Promise<void> {
    await tx.query('DELETE FROM accounts WHERE id = $1', [id]);
  }

  findAliases(address: string): Promise<Alias[]> {
    return this.prisma.alias.findMany({ where: { address } });
  }

  listAliases(): Promise<Alias[]> {
    return this.prisma.alias.findMany({ orderBy: [{ address: 'asc' }, { destination: 'asc' }] });
  }
}
