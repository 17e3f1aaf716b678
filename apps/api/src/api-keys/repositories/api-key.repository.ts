import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@correio/db';
import { PRISMA } from '../../database/database.module.js';

export interface ApiKeyRecord {
  id: bigint;
  accountId: bigint;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

const SELECT = {
  id: true,
  accountId: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
} as const;

/** The only code that touches the api_keys table. Every query but the hash lookup filters by account. */
@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  create(data: { accountId: bigint; name: string; prefix: string; keyHash: string; scopes: string[]; expiresAt: Date | null }): Promise<ApiKeyRecord> {
    return this.prisma.apiKey.create({ data, select: SELECT });
  }

  listByAccount(accountId: bigint): Promise<ApiKeyRecord[]> {
    return this.prisma.apiKey.findMany({ where: { accountId }, select: SELECT, orderBy: { id: 'desc' } });
  }

  /** The key a request presents, by the SHA-256 of the whole key (unique index). */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.prisma.apiKey.findUnique({ where: { keyHash }, select: SELECT });
  }

  /** Deletes the account's key; false when the account has no such key (another account's id included). */
  async delete(accountId: bigint, id: bigint): Promise<boolean> {
    return (await this.prisma.apiKey.deleteMany({ where: { accountId, id } })).count === 1;
  }

  async recordUse(id: bigint, at: Date, ip: string): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at, lastUsedIp: ip } });
  }
}
