import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@correio/db';
import { PRISMA } from '../../database/database.module.js';

export interface AppPasswordRecord {
  id: bigint;
  accountId: bigint;
  name: string;
  protocols: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

const SELECT = { id: true, accountId: true, name: true, protocols: true, createdAt: true, lastUsedAt: true, lastUsedIp: true } as const;

/** The only code that touches app_passwords. Every query but the prefix lookup filters by account. */
@Injectable()
export class AppPasswordRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  create(data: { accountId: bigint; name: string; prefix: string; passwordHash: string; protocols: string[] }): Promise<AppPasswordRecord> {
    return this.prisma.appPassword.create({ data, select: SELECT });
  }

  listByAccount(accountId: bigint): Promise<AppPasswordRecord[]> {
    return this.prisma.appPassword.findMany({ where: { accountId }, select: SELECT, orderBy: { id: 'asc' } });
  }

  countByAccount(accountId: bigint): Promise<number> {
    return this.prisma.appPassword.count({ where: { accountId } });
  }

  /** The login path: one unique-index read. */
  findByPrefix(prefix: string): Promise<(AppPasswordRecord & { passwordHash: string }) | null> {
    return this.prisma.appPassword.findUnique({ where: { prefix }, select: { ...SELECT, passwordHash: true } });
  }

  async delete(accountId: bigint, id: bigint): Promise<boolean> {
    return (await this.prisma.appPassword.deleteMany({ where: { accountId, id } })).count === 1;
  }

  async recordUse(id: bigint, at: Date, ip: string): Promise<void> {
    await this.prisma.appPassword.updateMany({ where: { id }, data: { lastUsedAt: at, lastUsedIp: ip } });
  }
}
