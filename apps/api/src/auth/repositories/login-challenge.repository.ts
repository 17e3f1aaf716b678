import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@correio/db';
import { PRISMA } from '../../database/database.module.js';

export interface LoginChallengeRecord {
  id: bigint;
  accountId: bigint;
  ip: string;
  userAgent: string;
  failures: number;
  expiresAt: Date;
}

/** The only code that touches login_challenges (logins waiting for their second factor). */
@Injectable()
export class LoginChallengeRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async create(data: { accountId: bigint; tokenHash: string; ip: string; userAgent: string; expiresAt: Date }): Promise<void> {
    await this.prisma.loginChallenge.create({ data });
  }

  findByTokenHash(tokenHash: string): Promise<LoginChallengeRecord | null> {
    return this.prisma.loginChallenge.findUnique({
      where: { tokenHash },
      select: { id: true, accountId: true, ip: true, userAgent: true, failures: true, expiresAt: true },
    });
  }

  /** Counts a wrong code; the new count. */
  async recordFailure(id: bigint): Promise<number> {
    const rows = await this.prisma.$queryRaw<
      { failures: number }[]
    >`UPDATE login_challenges SET failures = failures + 1 WHERE id = ${id} RETURNING failures`;
    return rows[0]?.failures ?? Number.MAX_SAFE_INTEGER;
  }

  /** Single use: true for the one caller that removed it. */
  async delete(id: bigint): Promise<boolean> {
    return (await this.prisma.loginChallenge.deleteMany({ where: { id } })).count === 1;
  }

  async deleteByAccount(accountId: bigint): Promise<void> {
    await this.prisma.loginChallenge.deleteMany({ where: { accountId } });
  }

  async deleteExpired(): Promise<number> {
    return (await this.prisma.loginChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } })).count;
  }
}
