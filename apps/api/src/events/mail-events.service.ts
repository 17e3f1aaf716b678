import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import { PgChangeBus } from './pg-change-bus.js';

/**
 * The change bus (DESIGN invariant 6): the store publishes after COMMIT; IMAP IDLE, the webmail's
 * live updates and webhooks subscribe. Subscribers hear every change of this process at once
 * (in-process), and, on a real PostgreSQL server, every other process's through LISTEN/NOTIFY
 * (pg-change-bus.ts): API processes, cluster workers and roles run apart all see one another's
 * changes. On the embedded PGlite (no LISTEN/NOTIFY between connections) it stays in-process.
 *
 * NOTIFY is not durable: notifications sent while this process's LISTEN connection was down (or
 * never sent, when a process died between its COMMIT and its pg_notify) are lost. So when the
 * connection comes back, onResync listeners are called (a local signal, no change attached):
 * whoever keeps a view of a mailbox (an IMAP session) re-reads what it may have missed from the
 * store (ImapStore.mailboxState, then changesSince / new UIDs). A session that wants to bound the
 * window without any signal can do the same check on NOOP/IDLE (it is one indexed row read).
 */
@Injectable()
export class MailEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private bus?: PgChangeBus;

  constructor(
    @Optional() @Inject(PG_POOL) private readonly pool?: Pool,
    @Optional() @Inject(DB_FEATURES) private readonly features?: DbFeatures,
  ) {}

  /** Starts the cross-process bus where the database can carry it (resolves once it listens, or has failed once and retries). */
  async onModuleInit(): Promise<void> {
    const url = (this.pool as unknown as { options?: { connectionString?: string } } | undefined)?.options?.connectionString;
    if (!this.features?.listenNotify || !url || this.bus) return;
    this.bus = new PgChangeBus(
      url,
      `${process.pid}-${randomUUID()}`,
      (change) => this.emit(change),
      () => this.emitResync(),
      (accountId) => this.emitAccountEvents(accountId),
    );
    await this.bus.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus?.stop();
  }

  /** True when changes also cross processes (LISTEN/NOTIFY). */
  get isCrossProcess(): boolean {
    return this.bus !== undefined;
  }

  publish(change: MailboxChange): void {
    this.emit(change);
    this.bus?.send(change);
  }

  subscribe(listener: (change: MailboxChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /**
   * Called when changes of other processes may have been missed (the LISTEN connection came back
   * after being lost): re-check mailbox state from the store. Never called on PGlite (in-process
   * only: nothing can be lost). Returns the unsubscribe function.
   */
  onResync(listener: () => void): () => void {
    this.emitter.on('resync', listener);
    return () => this.emitter.off('resync', listener);
  }

  /**
   * Issue 13: account events (the outbox) were committed for this account by code that publishes no
   * mailbox change (delivery outcomes, sends); call after COMMIT. Webhook workers and event streams
   * in every process wake on it (they also wake on 'exists' changes, which cover new mail).
   */
  announceAccountEvents(accountId: string): void {
    this.emitAccountEvents(accountId);
    this.bus?.sendEventsSignal(accountId);
  }

  /** Listens to announceAccountEvents of every process. Returns the unsubscribe function. */
  onAccountEvents(listener: (accountId: string) => void): () => void {
    this.emitter.on('account-events', listener);
    return () => this.emitter.off('account-events', listener);
  }

  private emitAccountEvents(accountId: string): void {
    try {
      this.emitter.emit('account-events', accountId);
    } catch {
      /* listeners handle their own errors */
    }
  }

  private emitResync(): void {
    try {
      this.emitter.emit('resync');
    } catch {
      /* listeners handle their own errors */
    }
  }

  private emit(change: MailboxChange): void {
    // A subscriber's failure must never undo or block the committed change that triggered it.
    try {
      this.emitter.emit('change', change);
    } catch {
      /* subscribers handle their own errors */
    }
  }
}
