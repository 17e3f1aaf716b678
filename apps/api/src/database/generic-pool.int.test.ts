import type { Pool } from '@correio/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { PG_GENERIC_POOL, PG_POOL } from './database.module.js';

// PG_GENERIC_POOL's sessions plan prepared statements generically from the first execution; the
// main pool keeps PostgreSQL's default (custom plans first). On PGlite it is the main pool itself.
describe('the generic-plan pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('plans generically on a real server and is the main pool on PGlite', async () => {
    const main = t.app.get<Pool>(PG_POOL);
    const generic = t.app.get<Pool>(PG_GENERIC_POOL);
    const mode = async (pool: Pool) => (await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]?.plan_cache_mode;
    if (t.db.isPglite) {
      expect(generic).toBe(main);
      return;
    }
    expect(generic).not.toBe(main);
    expect(await mode(main)).toBe('auto');
    expect(await mode(generic)).toBe('force_generic_plan');
  });
});
