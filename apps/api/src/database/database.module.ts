import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, type Pool, type PrismaClient } from '@correio/db';

/**
 * Provides the one pg Pool and the Prisma client over it. The pool is created (and the schema
 * migrated) before Nest starts, in main.ts / the CLI, and handed in with forRoot.
 * Repositories are the only classes that inject these (DESIGN invariant 3).
 */
export const PG_POOL = Symbol('PG_POOL');
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
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(pool: Pool, features: DbFeatures = { preparedStatements: false }) {
    const prisma = createPrismaClient(pool);
    return {
      module: DatabaseModule,
      providers: [
        { provide: PG_POOL, useValue: pool },
        { provide: PRISMA, useValue: prisma },
        { provide: DB_FEATURES, useValue: features },
        DatabaseLifecycle,
      ],
      exports: [PG_POOL, PRISMA, DB_FEATURES],
    };
  }
}
