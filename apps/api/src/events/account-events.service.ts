import { Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import { type AccountEventRow, AccountEventsRepository, type EventPosition } from './account-events.repository.js';
import { MailEventsService } from './mail-events.service.js';

/** The event object of issue 13, the same for a webhook's body and an event stream's `data:`. */
export interface EventBody {
  type: string;
  /** When the change was made (the event's commit time, to the millisecond), ISO 8601. */
  timestamp: string;
  data: Record<string, unknown>;
}

export function eventBody(row: Pick<AccountEventRow, 'type' | 'createdAt' | 'payload'>): EventBody {
  return { type: row.type, timestamp: new Date(row.createdAt).toISOString(), data: row.payload };
}

/**
 * The account event outbox (issue 13 items 4 and 5), read by webhooks and GET /api/v1/events.
 *
 * Each event is written in the transaction of the change it reports (see AccountEventsRepository),
 * so a crash loses none and a rollback leaves none. Readers are woken, after COMMIT, by the change
 * bus: an 'exists' change (new mail, a Sent copy) or announceAccountEvents (delivery outcomes,
 * sends); both cross processes over LISTEN/NOTIFY on PostgreSQL. A lost notification only delays a
 * reader until its next poll, because readers always read the table, never the notification.
 */
@Injectable()
export class AccountEventsService {
  constructor(
    private readonly repo: AccountEventsRepository,
    private readonly bus: MailEventsService,
  ) {}

  /** Writes an event in the caller's transaction; announce(accountId) after its COMMIT. */
  recordWithin(tx: Pick<PoolClient, 'query'>, accountId: string, type: string, data: Record<string, unknown>): Promise<void> {
    return this.repo.insertWithin(tx, accountId, type, data);
  }

  /** After COMMIT of a transaction that called recordWithin (or wrote events in its own statement). */
  announce(accountId: string): void {
    this.bus.announceAccountEvents(accountId);
  }

  /**
   * Calls `listener` with an account id when that account may have new events, or with undefined
   * when any account may have (the cross-process bus reconnected: notifications may have been lost).
   */
  onWake(listener: (accountId: string | undefined) => void): () => void {
    const offs = [
      this.bus.subscribe((c) => {
        if (c.kind === 'exists') listener(c.accountId);
      }),
      this.bus.onAccountEvents((accountId) => listener(accountId)),
      this.bus.onResync(() => listener(undefined)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  listAfter(accountId: string, after: EventPosition, limit: number): Promise<AccountEventRow[]> {
    return this.repo.listAfter(accountId, after, limit);
  }

  currentPosition(): Promise<EventPosition> {
    return this.repo.currentPosition();
  }

  positionAfter(accountId: string, eventId: string): Promise<EventPosition | undefined> {
    return this.repo.positionAfter(accountId, eventId);
  }

  prune(keepMs: number, limit: number): Promise<number> {
    return this.repo.prune(keepMs, limit);
  }
}
