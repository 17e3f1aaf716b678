import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPool, createPrismaClient, type Pool, type PrismaClient } from '@correio/db';

/**
 * Provides the one pg Pool and the Prisma client over it. The pool is created (and the schema
 * migrated) before Nest starts, in main.ts / the CLI, and handed in with forRoot.
 * Repositories are the only classes that inject these (DESIGN invariant 3).
 */
export const PG_POOL = Symbol('PG_POOL');
/**
 * A small second pool on the same database whose sessions plan every prepared statement generically
 * (`plan_cache_mode = force_generic_plan`), for named statements written to be planned once (IMAP's
 * SELECT snapshot and FETCH lines). PostgreSQL plans a prepared statement's first five executions
 * with the values (custom plans) and only then considers the generic plan: for a FETCH batch of
 * 2,000 UIDs the custom plan is a bitmap scan and a sort of the finished lines, about twice the
 * generic plan's ordered index scan, and a new connection (a restart: issue 11's cold sync) runs
 * nothing but custom plans. Not the main pool's setting: there it would also fix generic plans on
 * every unnamed query. PGlite (no named statements) gets the main pool.
 */
export const PG_GENERIC_POOL = Symbol('PG_GENERIC_POOL');
export const PRISMA = Symbol('PRISMA');
export const DB_FEATURES = Symbol('DB_FEATURES');

export interface DbFeatures {
  /**
   * Named (server-side prepared) statements for hot queries: PostgreSQL parses and plans them once
   * per connection. Off on PGlite, whose one session is shared by every socket connection, so a
   * statement name prepared by a closed connection would collide with the next one's.
   */
  preparedStatements: boolean;
  /**
   * LISTEN/NOTIFY between connections (the directory's change notifications). Off on PGlite, whose
   * one session cannot deliver a notification to another connection.
   */
  listenNotify?: boolean;
}

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PG_GENERIC_POOL) private readonly genericPool: Pool,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    // The main pool belongs to whoever opened the database (main.ts, the CLI, a test); this one is ours.
    if (this.genericPool !== this.pool) await this.genericPool.end().catch(() => {});
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(pool: Pool, features: DbFeatures = { preparedStatements: false }) {
    const prisma = createPrismaClient(pool);
    const url = pool.options.connectionString;
    const genericPool =
      features.preparedStatements && url
        ? createPool({
            url,
            // Half the main pool: every IMAP session's SELECT and metadata FETCH queue here.
            max: Math.max(2, Math.ceil((pool.options.max ?? 10) / 2)),
            applicationName: String((pool.options as { application_name?: string }).application_name ?? 'correio'),
            settings: { plan_cache_mode: 'force_generic_plan' },
          })
        : pool;
    return {
      module: DatabaseModule,
      providers: [
        { provide: PG_POOL, useValue: pool },
        { provide: PG_GENERIC_POOL, useValue: genericPool },
        { provide: PRISMA, useValue: prisma },
        { provide: DB_FEATURES, useValue: features },
        DatabaseLifecycle,
      ],
      exports: [PG_POOL, PG_GENERIC_POOL, PRISMA, DB_FEATURES],
    };
  }
}
