import { Inject, Injectable } from '@nestjs/common';
import type { Counts, CreateLabelRequest, LabelView, UpdateLabelRequest } from '@correio/contracts';
import { type Pool, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { KeywordRewriteService } from '../mailbox-store/keyword-rewrite.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { labelKeyword } from './label-keyword.js';
import { LabelRowsCache } from './label-rows.cache.js';
import { CountsRepository } from './repositories/counts.repository.js';
import { type LabelRow, LabelRepository } from './repositories/label.repository.js';

const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;

/**
 * Labels: a name and a colour over an IMAP keyword (label-keyword.ts), so what the webmail labels an
 * IMAP client sees as a keyword and a keyword an IMAP client sets is the label's. Rename and delete
 * rewrite the keyword on every message in the same transaction as the label row, through the mail
 * store (KeywordRewriteService: the store owns messages, DESIGN invariant 3), which publishes the
 * flag changes after COMMIT (invariant 6).
 */
@Injectable()
export class LabelsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly labels: LabelRepository,
    private readonly countsRepo: CountsRepository,
    private readonly keywords: KeywordRewriteService,
    private readonly store: MailboxStoreService,
    private readonly rowsCache: LabelRowsCache,
  ) {}

  /** The account's labels (no counts), for mapping keywords to labels in lists: from memory (label-rows.cache.ts). */
  listRows(accountId: string): Promise<LabelRow[]> {
    return this.rowsCache.get(accountId, () => this.labels.list(accountId));
  }

  async get(accountId: string, id: string): Promise<LabelRow> {
    const row = isId(id) ? await this.labels.find(accountId, id) : undefined;
    if (!row) throw AppError.notFound('label not found');
    return row;
  }

  async list(accountId: string): Promise<LabelView[]> {
    const [rows, counts] = await Promise.all([this.labels.list(accountId), this.countsRepo.byKeyword(accountId)]);
    const byKey = new Map(counts.map((c) => [c.key, c]));
    return rows.map((r) => toView(r, byKey.get(r.keyword.toLowerCase())));
  }

  async counts(accountId: string): Promise<Counts> {
    const [rows, byKeyword, byMailbox] = await Promise.all([
      this.labels.list(accountId),
      this.countsRepo.byKeyword(accountId),
      // The store keeps each mailbox's unseen count (migration 20261213600000_mailbox_counts).
      this.store.listMailboxes(accountId),
    ]);
    const byKey = new Map(byKeyword.map((c) => [c.key, c]));
    return {
      mailboxes: byMailbox.map((b) => ({ id: b.id, unread: b.unread })),
      labels: rows.map((r) => {
        const c = byKey.get(r.keyword.toLowerCase());
        return { id: r.id, total: c?.total ?? 0, unread: c?.unread ?? 0 };
      }),
    };
  }

  async create(accountId: string, req: CreateLabelRequest): Promise<LabelView> {
    const row = await withTransaction(this.pool, async (tx) => {
      let got = await this.labels.insert(tx, accountId, req.name, req.colour ?? null, labelKeyword(req.name));
      // Another label's name has the same slug: a hashed keyword keeps both apart.
      if (got === 'keyword') got = await this.labels.insert(tx, accountId, req.name, req.colour ?? null, labelKeyword(req.name, true));
      if (typeof got === 'string')
        throw new AppError(ErrorCode.Conflict, got === 'name' ? 'a label with this name exists' : 'label keyword taken');
      return got;
    });
    this.rowsCache.drop(accountId);
    // A keyword IMAP clients set before the label existed is the label's from now on.
    return (await this.list(accountId)).find((l) => l.id === row.id) ?? toView(row, undefined);
  }

  async update(accountId: string, id: string, req: UpdateLabelRequest): Promise<LabelView> {
    if (!isId(id)) throw AppError.notFound('label not found');
    await this.keywords.withKeywordRewrite(accountId, async (tx) => {
      const old = await this.labels.find(accountId, id, tx, true);
      if (!old) throw AppError.notFound('label not found');
      const name = req.name ?? old.name;
      const colour = req.colour === undefined ? old.colour : req.colour;
      // A change of case only keeps the keyword (IMAP keywords are case-insensitive, RFC 9051 §2.3.2).
      let keyword = name.toLowerCase() === old.name.toLowerCase() ? old.keyword : labelKeyword(name);
      let taken = await this.labels.taken(tx, accountId, id, name, keyword);
      if (taken === 'keyword') {
        keyword = labelKeyword(name, true);
        taken = await this.labels.taken(tx, accountId, id, name, keyword);
      }
      if (taken) throw new AppError(ErrorCode.Conflict, taken === 'name' ? 'a label with this name exists' : 'label keyword taken');
      await this.labels.update(tx, accountId, id, { name, colour, keyword });
      return { value: undefined, rewrite: keyword === old.keyword ? undefined : { from: old.keyword, to: keyword } };
    });
    this.rowsCache.drop(accountId);
    return (await this.list(accountId)).find((l) => l.id === id)!;
  }

  /** Deletes the label and takes its keyword off every message (the messages stay). */
  async delete(accountId: string, id: string): Promise<void> {
    if (!isId(id)) throw AppError.notFound('label not found');
    await this.keywords.withKeywordRewrite(accountId, async (tx) => {
      const old = await this.labels.find(accountId, id, tx, true);
      if (!old) throw AppError.notFound('label not found');
      await this.labels.delete(tx, accountId, id);
      return { value: undefined, rewrite: { from: old.keyword, to: null } };
    });
    this.rowsCache.drop(accountId);
  }
}

function toView(r: LabelRow, c: { total: number; unread: number } | undefined): LabelView {
  return { id: r.id, name: r.name, colour: r.colour, keyword: r.keyword, total: c?.total ?? 0, unread: c?.unread ?? 0 };
}
