import { Injectable } from '@nestjs/common';
import { parseSearchQuery } from '@correio/search-query';
import { AppError } from '../common/app-error.js';
import { withLabelKeywords } from '../labels/label-query.js';
import { LabelsService } from '../labels/labels.service.js';
import type { ListCursor } from '../mailbox-store/repositories/message.repository.js';
import { MessageSearchService } from '../mailbox-store/search/message-search.service.js';
import type { BulkQueryResolver } from './bulk-query.resolver.js';

/** Matches read per search statement (keyset-paged, newest first: page N costs what page 1 does). */
const PAGE = 1000;

/**
 * BULK_QUERY_RESOLVER: "all N matching the search" resolved on the server, in the request, by the
 * same search the list shows (GET /api/v1/messages?q= — @correio/search-query parsed here, the mail
 * store's MessageSearchService answering), so the bulk action names exactly the messages the person
 * was looking at, including those never loaded into the page.
 *
 * The webmail names a label view as `label:"<label name>"`; the search compares label: with IMAP
 * keywords, so a name that is one of the account's labels is turned into its keyword first.
 */
@Injectable()
export class SearchQueryResolver implements BulkQueryResolver {
  /** PAGE; tests set it small to cross page boundaries with a few messages. */
  pageSize = PAGE;

  constructor(
    private readonly search: MessageSearchService,
    private readonly labels: LabelsService,
  ) {}

  async resolve(accountId: string, query: string, mailboxId: string | undefined, max: number): Promise<string[]> {
    const parsed = parseSearchQuery(query);
    if (!parsed.ok)
      throw AppError.invalid(`search query: ${parsed.error.message} (at ${parsed.error.position})`, { position: parsed.error.position });
    const tree = withLabelKeywords(parsed.query, await this.labels.listRows(accountId));
    const ids: string[] = [];
    let cursor: ListCursor | undefined;
    while (ids.length < max) {
      const limit = Math.min(this.pageSize, max - ids.length);
      const rows = await this.search.search({ accountId, query: tree, mailboxId, limit, cursor });
      for (const r of rows) ids.push(r.id);
      const last = rows[rows.length - 1];
      if (rows.length < limit || !last) break;
      cursor = { internalDate: last.internalDate, id: last.id };
    }
    return ids;
  }
}
