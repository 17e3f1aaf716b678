import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@correio/db';
import { PRISMA } from '../../database/database.module.js';

export interface SessionRecord {
  id: bigint;
  accountId: bigint;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** The only code that touches the sessions table. */
@Injectable()
export class SessionRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async create(data: { accountId: bigint; tokenHash: string; csrfToken: string; expiresAt: Date; ip: string; userAgent: string }): Promise<void> {
    await this.prisma.session.create({ data });
  }

  findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    return this.prisma.session.findUnique({
      where: { tokenHash },
      select: { id: true, accountId: true, csrfToken: true, expiresAt: true, lastSeenAt: true },
    });
  }

  async touch(id: bigint, expiresAt: Date): Promise<void> {
    await this.prisma.session.update({ where: { id }, data: { lastSeenAt: new Date(), expiresAt } });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { tokenHash } });
  }

  async deleteExpired(): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } })).count;
  }
}
