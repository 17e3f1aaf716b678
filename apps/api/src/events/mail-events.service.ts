import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';

/**
 * The change bus (DESIGN invariant 6): the store publishes after COMMIT; IMAP IDLE, the webmail's
 * live updates and webhooks subscribe. In-process for now; a PostgreSQL LISTEN/NOTIFY adapter behind
 * the same two methods carries changes across processes when roles run separately.
 */
@Injectable()
export class MailEventsService {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(change: MailboxChange): void {
    // A subscriber's failure must never undo or block the committed change that triggered it.
    try {
      this.emitter.emit('change', change);
    } catch {
      /* subscribers handle their own errors */
    }
  }

  subscribe(listener: (change: MailboxChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
