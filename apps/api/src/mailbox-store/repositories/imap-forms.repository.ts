import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { type BodyForms, type EnvelopeForms, MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import { PG_POOL } from '../../database/database.module.js';

/**
 * What IMAP keeps so FETCH needn't parse a message again: the computed structure (message_structures)
 * with its BODY/BODYSTRUCTURE response text, and the ENVELOPE text on the message rows. Cache
 * fills: a failed or skipped one is done again by a later FETCH. Scoped by account.
 */
@Injectable()
export class ImapFormsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Kept structures without BODY/BODYSTRUCTURE text (kept before the columns existed), to fill them in. */
  async structuresWithoutBodyForms(
    accountId: string,
    blobIds: string[],
  ): Promise<{ blobId: string; version: number; structure: unknown }[]> {
    const { rows } = await this.pool.query<{ blobId: string; version: number; structure: unknown }>(
      `SELECT s.blob_id AS "blobId", s.version, s.structure FROM message_structures s
        WHERE s.account_id = $1 AND s.blob_id = ANY($2::bigint[]) AND s.body_imap IS NULL`,
      [accountId, blobIds],
    );
    return rows;
  }

  /** Stores BODY/BODYSTRUCTURE text for kept structures of the given version (a newer one kept meanwhile is left alone). */
  async saveBodyForms(accountId: string, items: { blobId: string; version: number; forms: BodyForms }[]): Promise<void> {
    await this.pool.query(
      `UPDATE message_structures s SET body_imap = w.b, body_imap_utf8 = w.bu, bodystructure_imap = w.bs, bodystructure_imap_utf8 = w.bsu
         FROM jsonb_to_recordset($2::jsonb) AS w(blob_id bigint, version int, b text, bu text, bs text, bsu text)
        WHERE s.account_id = $1 AND s.blob_id = w.blob_id AND s.version = w.version`,
      [accountId, JSON.stringify(items.map((i) => ({ blob_id: i.blobId, version: i.version, ...bodyColumns(i.forms) })))],
    );
  }

  /**
   * Stores the envelope text on every message row of these blobs that lacks a current one. Rows
   * another transaction holds (a STORE, an EXPUNGE) are skipped, not waited for: this is a cache
   * fill, done again by a later FETCH, and waiting could deadlock with writers that lock in id order.
   */
  async saveEnvelopeForms(accountId: string, items: { blobId: string; forms: EnvelopeForms }[]): Promise<void> {
    const usable = items.filter((i) => !hasNul(i.forms.envelope) && !hasNul(i.forms.envelopeUtf8));
    if (usable.length === 0) return;
    await this.pool.query(
      `WITH w AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS w(blob_id bigint, e text, eu text)),
            t AS (SELECT m.id, w.e, w.eu FROM messages m JOIN w ON m.account_id = $1 AND m.blob_id = w.blob_id
                   WHERE m.envelope_imap IS NULL OR m.envelope_imap_version IS NULL OR m.envelope_imap_version < $3
                   ORDER BY m.id FOR UPDATE OF m SKIP LOCKED)
       UPDATE messages m SET envelope_imap = t.e, envelope_imap_utf8 = t.eu, envelope_imap_version = $3
         FROM t WHERE m.account_id = $1 AND m.id = t.id`,
      [
        accountId,
        JSON.stringify(usable.map((i) => ({ blob_id: i.blobId, e: i.forms.envelope, eu: i.forms.envelopeUtf8 }))),
        MESSAGE_STRUCTURE_VERSION,
      ],
    );
  }

  /** Keeps computed structures with their BODY/BODYSTRUCTURE text, many in one statement (blobs gone meanwhile are skipped). */
  async saveStructures(
    accountId: string,
    items: { blobId: string; version: number; structure: unknown; forms: BodyForms }[],
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO message_structures (account_id, blob_id, version, structure, body_imap, body_imap_utf8, bodystructure_imap, bodystructure_imap_utf8)
       SELECT $1, b.id, s.version, s.structure, s.b, s.bu, s.bs, s.bsu
         FROM jsonb_to_recordset($2::jsonb) AS s(blob_id bigint, version int, structure jsonb, b text, bu text, bs text, bsu text)
         JOIN blobs b ON b.account_id = $1 AND b.id = s.blob_id
       ON CONFLICT (account_id, blob_id) DO UPDATE SET version = EXCLUDED.version, structure = EXCLUDED.structure,
              body_imap = EXCLUDED.body_imap, body_imap_utf8 = EXCLUDED.body_imap_utf8, bodystructure_imap = EXCLUDED.bodystructure_imap,
              bodystructure_imap_utf8 = EXCLUDED.bodystructure_imap_utf8
        WHERE message_structures.version < EXCLUDED.version OR message_structures.body_imap IS NULL`,
      [
        accountId,
        JSON.stringify(items.map((i) => ({ blob_id: i.blobId, version: i.version, structure: i.structure, ...bodyColumns(i.forms) }))),
      ],
    );
  }
}

/** A NUL cannot be kept in a text column (nor sent in a quoted string): such a message stays on the slow path. */
function hasNul(text: string | null): boolean {
  return text?.includes('\0') ?? false;
}

function bodyColumns(f: BodyForms): { b: string | null; bu: string | null; bs: string | null; bsu: string | null } {
  if ([f.body, f.bodyUtf8, f.bodyStructure, f.bodyStructureUtf8].some(hasNul)) return { b: null, bu: null, bs: null, bsu: null };
  return { b: f.body, bu: f.bodyUtf8, bs: f.bodyStructure, bsu: f.bodyStructureUtf8 };
}
