import { createPool, migrate } from '@correio/db';
import { createTestDatabase } from '@correio/testing';
import { describe, expect, it } from 'vitest';

// The large values every delivery writes (the message bytes and its search text) are compressed
// with LZ4 where the server has it (migrations 20261126160000_blob_lz4, 20261215100000_text_lz4):
// pglz cost ~40 µs per 4 KiB inside the delivery statement, before the 250 (issue 10). PGlite has
// no LZ4: the migrations must still apply there, leaving the default.
describe('column compression', () => {
  it('uses LZ4 for message bytes, search text and uploads where PostgreSQL has it', async () => {
    const db = await createTestDatabase();
    const pool = createPool({ url: db.url, max: 1 });
    try {
      await migrate(pool);
      const { rows } = await pool.query<{ col: string; compression: string }>(
        `SELECT attrelid::regclass::text || '.' || attname AS col, attcompression::text AS compression
           FROM pg_attribute
          WHERE (attrelid, attname) IN (('blobs'::regclass, 'data'), ('message_text_pending'::regclass, 'content'),
                                        ('message_text'::regclass, 'content'), ('uploads'::regclass, 'data'))
          ORDER BY 1`,
      );
      expect(rows.map((r) => r.col)).toEqual(['blobs.data', 'message_text.content', 'message_text_pending.content', 'uploads.data']);
      const { rows: lz4 } = await pool.query<{ ok: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS ok`,
      );
      const expected = lz4[0]!.ok ? 'l' : '';
      for (const r of rows) expect({ col: r.col, compression: r.compression }).toEqual({ col: r.col, compression: expected });
      if (db.kind === 'postgres') expect(expected).toBe('l'); // Debian's PostgreSQL is built with LZ4
    } finally {
      await pool.end();
      await db.drop();
    }
  }, 60_000);
});
