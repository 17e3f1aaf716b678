import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BulkRequest, BulkResult, BulkTarget } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import { LabelsService } from '../labels/labels.service.js';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { planBulk } from './bulk-plan.js';
import { BULK_QUERY_RESOLVER, type BulkQueryResolver } from './bulk-query.resolver.js';
import { BulkSelectionRepository, type MailboxRef, type SelectedRow } from './repositories/bulk-selection.repository.js';
import { BulkUndoRepository, type UndoOp } from './repositories/bulk-undo.repository.js';

/** Messages per store call: one transaction, one modseq and one change-bus event per batch and mailbox. */
const BATCH = 1000;
/** A `{ query }` target acts on at most this many matches. */
const MAX_QUERY_MATCHES = 50_000;
const UNDO_TTL_MS = 60 * 60 * 1000;

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

function byMailbox(rows: SelectedRow[]): Map<string, SelectedRow[]> {
  const out = new Map<string, SelectedRow[]>();
  // push, not a spread per row: a query target holds up to 50,000 rows (a spread is quadratic).
  for (const r of rows) {
    const list = out.get(r.mailboxId);
    if (list) list.push(r);
    else out.set(r.mailboxId, [r]);
  }
  return out;
}

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/**
 * Bulk actions of the webmail (and integrators): a selection (ids, conversations, or a search) and an
 * action, done on the server in one request through the mail store's own operations — IMAP STORE
 * (ImapStoreService.storeFlags) for flags and keywords, IMAP MOVE (moveMessages) for moves and
 * expungeMany for deletes in Trash — so modseqs, tombstones, quota and the change bus (IMAP IDLE,
 * the webmail's live updates) are exactly what those operations keep. Each store call is one
 * transaction over at most BATCH messages of one mailbox (the store exports no operation that spans
 * mailboxes in one transaction); a failure part-way leaves the batches done before it done and
 * answers the error without an undo token. Undo reverts what changed, for the messages still there.
 */
@Injectable()
export class BulkService {
  constructor(
    private readonly select: BulkSelectionRepository,
    private readonly undos: BulkUndoRepository,
    private readonly imap: ImapStoreService,
    private readonly store: MailboxStoreService,
    private readonly labels: LabelsService,
    @Inject(BULK_QUERY_RESOLVER) private readonly queries: BulkQueryResolver,
  ) {}

  async run(accountId: string, req: BulkRequest): Promise<BulkResult> {
    const boxes = await this.select.mailboxes(accountId);
    const view = 'ids' in req.target ? undefined : req.target.mailboxId;
    if (view !== undefined && !boxes.some((b) => b.id === view)) throw AppError.notFound('mailbox not found');
    const keyword =
      req.action.type === 'addLabel' || req.action.type === 'removeLabel'
        ? (await this.labels.get(accountId, req.action.labelId)).keyword
        : undefined;
    const rows = await this.selection(accountId, req.target, boxes, view);
    const plan = planBulk(req.action, rows, { boxes, viewMailboxId: view, conversations: 'conversationIds' in req.target, keyword });

    const ops: UndoOp[] = [];
    let affected = 0;
    if (plan.flag) {
      const changed = await this.setFlag(accountId, plan.flag.rows, plan.flag.flag, plan.flag.add);
      affected += changed.length;
      if (changed.length) ops.push({ kind: 'flag', ids: changed, flag: plan.flag.flag, add: !plan.flag.add });
    }
    if (plan.move) {
      for (const [from, moved] of await this.moveAll(accountId, plan.move.rows, plan.move.to)) {
        affected += moved.length;
        ops.push({ kind: 'move', ids: moved, mailboxId: from });
      }
    }
    if (plan.expunge?.length)
      affected += await this.store.expungeMany(
        accountId,
        plan.expunge.map((r) => r.id),
      );
    if (ops.length === 0) return { affected, undo: null };
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + UNDO_TTL_MS);
    await this.undos.save(accountId, hashToken(token), ops, expiresAt);
    return { affected, undo: { token, expiresAt: expiresAt.toISOString() } };
  }

  /** Reverts a bulk action once: moves back, flags back, for the messages that still exist. */
  async undo(accountId: string, token: string): Promise<number> {
    const ops = await this.undos.take(accountId, hashToken(token));
    if (!ops) throw AppError.notFound('nothing to undo (unknown or expired token)');
    let restored = 0;
    for (const op of [...ops].reverse()) {
      const rows = await this.select.byIds(accountId, op.ids);
      if (op.kind === 'flag') restored += (await this.setFlag(accountId, rows, op.flag, op.add)).length;
      else {
        // A message gone meanwhile, or already back, is skipped; a mailbox gone meanwhile is a 404.
        const away = rows.filter((r) => r.mailboxId !== op.mailboxId);
        for (const [, moved] of await this.moveAll(accountId, away, op.mailboxId)) restored += moved.length;
      }
    }
    return restored;
  }

  private async selection(accountId: string, target: BulkTarget, boxes: MailboxRef[], view: string | undefined): Promise<SelectedRow[]> {
    if ('ids' in target) return this.found(await this.select.byIds(accountId, [...new Set(target.ids)]));
    if ('conversationIds' in target) {
      const viewUse = boxes.find((b) => b.id === view)?.specialUse;
      const hidden =
        viewUse === 'trash' || viewUse === 'junk'
          ? []
          : boxes.filter((b) => b.specialUse === 'trash' || b.specialUse === 'junk').map((b) => b.id);
      return this.found(await this.select.byThreads(accountId, [...new Set(target.conversationIds)], hidden));
    }
    const ids = await this.queries.resolve(accountId, target.query, target.mailboxId, MAX_QUERY_MATCHES);
    const rows: SelectedRow[] = [];
    for (const part of batches(ids)) rows.push(...(await this.select.byIds(accountId, part)));
    return rows;
  }

  /** Named objects none of which is the account's: indistinguishable from missing (DESIGN invariant 4). */
  private found(rows: SelectedRow[]): SelectedRow[] {
    if (rows.length === 0) throw AppError.notFound('messages not found');
    return rows;
  }

  /** IMAP STORE +FLAGS/-FLAGS per mailbox and batch; returns the ids whose flags changed. */
  private async setFlag(accountId: string, rows: SelectedRow[], flag: string, add: boolean): Promise<string[]> {
    const changed: string[] = [];
    for (const [mailboxId, inBox] of byMailbox(rows)) {
      for (const part of batches(inBox)) {
        const idByUid = new Map(part.map((r) => [r.uid, r.id]));
        const result = await this.imap.storeFlags({
          accountId,
          mailboxId,
          uids: [...idByUid.keys()],
          op: add ? 'add' : 'remove',
          flags: [flag],
        });
        for (const c of result.changed) changed.push(idByUid.get(c.uid)!);
      }
    }
    return changed;
  }

  /** IMAP MOVE per source mailbox and batch (ids are kept by a move); returns source mailbox → ids moved. */
  private async moveAll(accountId: string, rows: SelectedRow[], to: string): Promise<Map<string, string[]>> {
    const moved = new Map<string, string[]>();
    for (const [from, inBox] of byMailbox(rows)) {
      if (from === to) continue;
      for (const part of batches(inBox)) {
        const idByUid = new Map(part.map((r) => [r.uid, r.id]));
        const result = await this.imap.moveMessages(accountId, from, [...idByUid.keys()], to);
        const done = moved.get(from) ?? [];
        for (const u of result.sourceUids) done.push(idByUid.get(u)!);
        moved.set(from, done);
      }
    }
    return moved;
  }
}
