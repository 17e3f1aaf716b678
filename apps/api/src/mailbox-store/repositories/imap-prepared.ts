import { createHash } from 'node:crypto';
import type { DbFeatures } from '../../database/database.module.js';

/**
 * Names for IMAP's hot statements (SELECT's snapshot, FETCH's lines, STORE, EXPUNGE), so each
 * connection parses and plans them once instead of per command: measured on the one-session mixed
 * load, PostgreSQL's CPU for a STORE was ~1 ms above a FETCH's, most of it parse/analyze/plan of the
 * statement's CTEs. The name is derived from the text (node-postgres requires one text per name).
 *
 * FETCH builds its text from the items asked for, so a client choosing ever new item lists could
 * make a connection keep ever more statements: only the first MAX_NAMED texts get a name, later
 * ones run unnamed (planned per execution, as before). Off where DbFeatures says so (PGlite).
 */
const MAX_NAMED = 64;
const names = new Map<string, string>();

export function preparedQuery(features: DbFeatures, text: string): { name?: string; text: string } {
  if (!features.preparedStatements) return { text };
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return { text };
    name = `correio-imap-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text };
}
