/**
 * @correio/db — everything that opens a database: the pg pool, the Prisma client over it, the SQL
 * migrator, the embedded PostgreSQL used when no DATABASE_URL is configured, the probe that tells
 * PostgreSQL from PGlite behind a URL, the binary COPY parser (copy-binary.ts: CopyViewParser, the
 * fields as views of the chunks, for a caller that reads the socket itself) and SharedCopyReader
 * (binary COPY on a worker thread into shared memory, through the same parser).
 */
export { createPool, mustDiscard, releaseClient, withTransaction, type Pool, type PoolClient, type PoolOptions } from './pool.js';
export { detectServerKind, serverKindOf, type ServerKind } from './server-kind.js';
export { createPrismaClient, Prisma, PrismaClient, AccountRole, SpecialUse } from './prisma.js';
export type { Account, DkimKey, Domain, Mailbox, Message, Session, Alias } from './prisma.js';
export { migrate, readMigrations, defaultMigrationsDir, type MigrationResult, type MigrationFile } from './migrator.js';
export {
  startEmbeddedPostgres,
  findRunningEmbedded,
  embeddedUrl,
  type EmbeddedPostgres,
  type EmbeddedInfo,
} from './embedded.js';
export { SharedCopyReader, type SharedPlacement } from './shared-copy-reader.js';
export { CopyViewParser, type SegmentRow } from './copy-binary.js';
