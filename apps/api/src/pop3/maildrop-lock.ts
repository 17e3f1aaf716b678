/**
 * The exclusive-access lock on a maildrop (RFC 1939 §4: "the POP3 server then acquires an exclusive-
 * access lock on the maildrop ... to prevent messages from being modified or removed before the
 * session enters the UPDATE state"). A second session of the same account gets `-ERR [IN-USE]`
 * (RFC 2449 §8.1.2) instead of a snapshot of its own, so two clients never delete from under each
 * other's message numbers.
 *
 * In process memory: with several worker processes (CORREIO_WORKERS) or POP3 replicas each holds
 * its own set, and two sessions on different processes would both get in (their UPDATEs stay
 * correct: expunging a message already gone is skipped). A PostgreSQL advisory lock held on a
 * dedicated connection would make it global; PGlite's single shared connection rules that out today.
 */
export class MaildropLocks {
  private readonly held = new Set<string>();

  tryAcquire(accountId: string): boolean {
    if (this.held.has(accountId)) return false;
    this.held.add(accountId);
    return true;
  }

  release(accountId: string): void {
    this.held.delete(accountId);
  }

  get size(): number {
    return this.held.size;
  }
}
