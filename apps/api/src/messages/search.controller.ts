import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type SearchResult, SearchMessagesQuery } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { SearchMessagesQuery as SearchMessagesQueryParams } from '@correio/contracts';
import { parseSearchQuery } from '@correio/search-query';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { mentionsLabel, withLabelKeywords } from '../labels/label-query.js';
import { LabelsService } from '../labels/labels.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { MessageSearchService } from '../mailbox-store/search/message-search.service.js';
import { decodeCursor, encodeCursor, toMessageSummary } from './message-view.js';
import { highlightsFor } from './search-highlight.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class SearchController {
  constructor(
    private readonly search: MessageSearchService,
    private readonly store: MailboxStoreService,
    private readonly labels: LabelsService,
  ) {}

  @Get()
  @ApiQuery({ name: 'q', required: false, description: "The search, in the webmail's (Gmail's) syntax; empty: everything" })
  @ApiQuery({ name: 'mailboxId', required: false, description: 'Only this mailbox' })
  @ApiQuery({ name: 'limit', required: false, description: '1–100, default 50' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (same q)' })
  @RequireScope('mail:read')
  @ApiOperation({
    summary: "Search messages with the webmail's (Gmail's) search syntax, newest first, cursor-paged",
    description:
      'q: free text and "phrases" (case-insensitive substrings of header and body), from: to: cc: subject: filename: ' +
      'has:attachment is:unread is:read is:starred in:<folder|inbox|sent|drafts|archive|trash|spam|anywhere> label:<label name or keyword> ' +
      'before:/after: (YYYY/MM/DD or YYYY-MM-DD, UTC days of arrival) larger:/smaller: (10K, 5M), -negation, OR (binds tighter ' +
      'than the implicit AND, as in Gmail), parentheses. Without in: or mailboxId, Trash and Junk are left out. Each hit has ' +
      'highlight ranges for subject, snippet and sender. Pass nextCursor with the same q for the next page.',
  })
  @ApiResponse({ status: 200, description: 'SearchResult', schema: schemaRef('SearchResult') })
  @ApiResponse({
    status: 400,
    description: 'Malformed query: details.position is the 0-based offset in q; or a bad cursor',
    schema: API_ERROR,
  })
  @ApiResponse({ status: 404, description: "mailboxId is not one of the account's mailboxes", schema: API_ERROR })
  async list(
    @CurrentAccount() account: AccountInfo,
    @Query(new ZodPipe(SearchMessagesQuery)) query: SearchMessagesQueryParams,
  ): Promise<SearchResult> {
    const parsed = parseSearchQuery(query.q);
    if (!parsed.ok)
      throw AppError.invalid(`search query: ${parsed.error.message} (at ${parsed.error.position})`, { position: parsed.error.position });
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (query.cursor && !cursor) throw AppError.invalid('invalid cursor');
    if (query.mailboxId && !(await this.store.listMailboxes(account.id)).some((m) => m.id === query.mailboxId)) {
      throw AppError.notFound('mailbox not found');
    }
    // label:"<name>" may name one of the account's labels (the webmail's label views do): its keyword.
    const tree = mentionsLabel(parsed.query) ? withLabelKeywords(parsed.query, await this.labels.listRows(account.id)) : parsed.query;
    // One extra row tells whether another page exists without a COUNT.
    const rows = await this.search.search({
      accountId: account.id,
      query: tree,
      mailboxId: query.mailboxId,
      limit: query.limit + 1,
      cursor,
    });
    const page = rows.slice(0, query.limit);
    const highlight = highlightsFor(parsed.query);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ ...toMessageSummary(r), keywords: r.keywords, highlights: highlight(r) })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }
}
