import { type BeforeApplicationShutdown, Controller, Get, Headers, Logger, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import type { AccountInfo } from '../directory/directory.service.js';
import type { EventPosition } from '../events/account-events.repository.js';
import { AccountEventsService } from '../events/account-events.service.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { AccountEventStream } from './event-stream.js';

const EVENT_ID = /^(0|[1-9]\d{0,18})$/;

@ApiTags('webhooks')
@RequireScope('mail:read')
@Controller('api/v1/events')
export class EventStreamController implements BeforeApplicationShutdown {
  private readonly logger = new Logger('events');
  /** Open streams: ended before the HTTP server closes (a stream never ends by itself, and would hold the shutdown). */
  private readonly open = new Set<AccountEventStream>();

  constructor(
    private readonly events: AccountEventsService,
    private readonly bus: MailEventsService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Server-sent events (text/event-stream) of the account: the webhook event objects with `id:` lines (the outbox event id), then live ones; " +
      'Last-Event-ID (or ?after=) resumes after that event without gaps (?after=0: every kept event). Stream-only `mailbox.changed` events ' +
      '(no id) report flag changes, expunges, moves and new mail. A comment line every 20 s keeps it open.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id (sent by EventSource on reconnect)' })
  @ApiQuery({ name: 'after', required: false, description: 'Resume after this event id (0: from the oldest kept event)' })
  @ApiResponse({ status: 200, description: 'text/event-stream' })
  async stream(
    @CurrentAccount() account: AccountInfo,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('after') after: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resumeFrom = (lastEventId ?? after)?.trim();
    if (resumeFrom !== undefined && resumeFrom !== '' && !EVENT_ID.test(resumeFrom)) throw AppError.invalid('Last-Event-ID / after: an event id');
    const start = await this.startPosition(account.id, resumeFrom || undefined);
    // From here on the response is ours (Fastify no longer sends or serializes anything for it).
    reply.hijack();
    const stream = new AccountEventStream(reply.raw, account.id, start, this.events, this.bus, (err) =>
      this.logger.warn(`event stream of account ${account.id}: ${err.message}`),
    );
    this.open.add(stream);
    reply.raw.on('close', () => this.open.delete(stream));
    stream.start();
  }

  beforeApplicationShutdown(): void {
    for (const stream of this.open) stream.close();
    this.open.clear();
  }

  private async startPosition(accountId: string, after: string | undefined): Promise<EventPosition> {
    if (after === undefined) return this.events.currentPosition();
    if (after === '0') return { xid: '0', id: '0' };
    return (await this.events.positionAfter(accountId, after)) ?? this.events.currentPosition();
  }
}
