import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PrismaClient } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL, PRISMA } from '../../database/database.module.js';

export interface SessionRecord {
  id: bigint;
  accountId: bigint;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface WebSessionRecord {
  id: bigint;
  ip: string;
  userAgent: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** The only code that touches the sessions table. */
@Injectable()
export class SessionRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  async create(data: {
    accountId: bigint;
    tokenHash: string;
    csrfToken: string;
    expiresAt: Date;
    ip: string;
    userAgent: string;
  }): Promise<bigint> {
    return (await this.prisma.session.create({ data, select: { id: true } })).id;
  }

  /**
   * One prepared statement, not a Prisma query: every request with a session cookie reads it
   * (AuthService.validate), and Prisma's query building cost about as much API CPU as the rest of
   * a 50-message list page (issue 12's API target).
   */
  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<{ id: string; accountId: string; csrfToken: string; expiresAt: Date; lastSeenAt: Date }>({
      name: this.features.preparedStatements ? 'correio-session-by-token' : undefined,
      text: `SELECT id, account_id AS "accountId", csrf_token AS "csrfToken", expires_at AS "expiresAt", last_seen_at AS "lastSeenAt"
               FROM sessions WHERE token_hash = $1`,
      values: [tokenHash],
    });
    const r = rows[0];
    return r ? { ...r, id: BigInt(r.id), accountId: BigInt(r.accountId) } : null;
  }

  async touch(id: bigint, expiresAt: Date): Promise<void> {
    await this.prisma.session.update({ where: { id }, data: { lastSeenAt: new Date(), expiresAt } });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { tokenHash } });
  }

  /** The account's live sessions, newest activity first (issue 15: the settings' session list). */
  listByAccount(accountId: bigint): Promise<WebSessionRecord[]> {
    return this.prisma.session.findMany({
      where: { accountId, expiresAt: { gt: new Date() } },
      select: { id: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** One of the account's sessions; false when it is not there (or another account's). */
  async deleteOne(accountId: bigint, id: bigint): Promise<boolean> {
    return (await this.prisma.session.deleteMany({ where: { accountId, id } })).count === 1;
  }

  /** Every session of the account but `keepId` (none kept when undefined); how many went. */
  async deleteOthers(accountId: bigint, keepId: bigint | undefined): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { accountId, ...(keepId !== undefined ? { id: { not: keepId } } : {}) } })).count;
  }

  async deleteExpired(): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } })).count;
  }
}
