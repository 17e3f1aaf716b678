import { createPool, type Pool } from '@correio/db';
import { createTestDatabase, type TestDatabase } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

// The group's transaction client goes back to the pool only if its session is what node-postgres
// believes (libs/db pool.ts, mustDiscard): after 'prepared statement ... already exists' it is
// destroyed, as withTransaction does, instead of failing the next group the same way.
describe('group commit and a connection out of step', () => {
  let db: TestDatabase;
  let pool: Pool;
  const releases: (Error | undefined)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 1 });
    pool.on('release', (err: Error | undefined) => releases.push(err));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('destroys the transaction client after 42P05; the group is retried item by item', async () => {
    // 'bad' makes the session hold a statement its client never parsed, then parses one of that name.
    const group = new GroupCommit<string, string>(
      pool,
      { maxItems: 10, maxBytes: 1_000 },
      {
        run: async (q, req) => {
          if (req === 'bad') {
            await q.query('PREPARE "correio-group-test" AS SELECT 1');
            await q.query({ name: 'correio-group-test', text: 'SELECT 1', values: [] });
          }
          return (await q.query<{ v: string }>('SELECT $1::text AS v', [req])).rows[0]!.v;
        },
        committed: () => {},
        isSoftFailure: () => false,
        weigh: () => 1,
        order: () => 0,
      },
    );
    const results = await Promise.allSettled(['good', 'bad'].map((r) => group.submit(r)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'good' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: '42P05' } });
    // The group's client (released first) went with the error, not back to the pool.
    expect(releases[0]).toMatchObject({ code: '42P05' });
  });
});
