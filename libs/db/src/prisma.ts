import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export { Prisma, PrismaClient } from './generated/prisma/client.js';
export type { Account, DkimKey, Domain, Mailbox, Message, Session, Alias } from './generated/prisma/client.js';
export { AccountRole, SpecialUse } from './generated/prisma/enums.js';

/**
 * Prisma over our own pg pool (driver adapter: no native query engine, see toolchain notes), so
 * Prisma queries and hand-written SQL share one set of connections.
 */
export function createPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
