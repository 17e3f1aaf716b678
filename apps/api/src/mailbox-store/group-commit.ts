import { type Pool, type PoolClient, mustDiscard, releaseClient } from '@correio/db';
import type pg from 'pg';
import { isDatabaseUnavailable } from '../common/app-error.js';
import type { PipelinedConnection } from './pipelined-connection.js';

type Queryable = Pick<PoolClient, 'query'>;

export interface GroupCommitOptions {
  /** Most items in one transaction: bounds how long the first of them waits for its COMMIT. */
  maxItems: number;
  /** Most bytes (as weighed by `weigh`) in one transaction, for the same reason with large items. */
  maxBytes: number;
  /**
   * Where a group's transaction runs: a pipelined connection (real PostgreSQL) sends BEGIN, the
   * statements and COMMIT in one round trip; without one (PGlite) a pooled client runs them one by one.
   */
  pipeline?: PipelinedConnection;
}

type Outcomes<Res> =
  | { kind: 'committed'; results: ({ ok: true; value: Res } | { ok: false; error: unknown })[] }
  | { kind: 'aborted' }
  | { kind: 'failed'; error: unknown };

interface Pending<Req, Res> {
  req: Req;
  resolve: (r: Res) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items that arrive while a COMMIT is on its way share the next one, the way
 * PostgreSQL's own commit_delay or Postfix's queue manager batch work, so N concurrent
 * deliveries cost one WAL flush and one hold of their mailbox's row lock instead of N.
 *
 * - Each caller's promise settles only after the COMMIT that holds its item has returned (DESIGN
 *   invariant 1: the MX sends 250 after that, never before).
 * - No added wait for a lone item: the first arrival is flushed on the next turn of the event loop
 *   (collecting whatever arrived in the same turn) and runs alone as one autocommit statement, as
 *   before. Only while a transaction is in flight do arrivals queue, and they go in the next one.
 *   (Kept in issue 10's last round: with one session nothing else waits in that turn, so it is
 *   short; flushing at once when idle would instead send alone the first of several messages whose
 *   ends of data arrive in the same poll of the event loop, costing an extra WAL flush.)
 * - One transaction in flight at a time: deliveries to one mailbox serialize on its row lock
 *   anyway, and a bigger group is cheaper than two waiting for each other.
 * - An item that fails softly (`isSoftFailure`: over quota, no such mailbox; its statement wrote
 *   nothing and the transaction is intact) gets its own error; the others commit.
 * - Any other error before COMMIT aborts the transaction: it is rolled back and every item is then
 *   run alone, so one poisonous item cannot fail its neighbours. If the COMMIT itself fails (or
 *   the database is unreachable) the outcome is unknown or hopeless: every item is rejected, and
 *   the MX answers each 451 4.3.0 (RFC 5321 §4.2.5): the sender retries; nothing acknowledged is lost.
 */
export class GroupCommit<Req, Res> {
  private readonly queue: Pending<Req, Res>[] = [];
  private inFlight = false;
  private scheduled = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: GroupCommitOptions,
    private readonly hooks: {
      /** Runs one item's statements through q (the pool for a lone item, else the transaction). */
      run: (q: Queryable, req: Req) => Promise<Res>;
      /** Called once per item after its COMMIT (publish events here, never before). */
      committed: (res: Res) => void;
      isSoftFailure: (err: unknown) => boolean;
      weigh: (req: Req) => number;
      /** Puts a group in lock order before it runs (rows are locked in statement order). */
      order: (a: Req, b: Req) => number;
    },
  ) {}

  submit(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = true;
    const group = this.takeGroup();
    try {
      if (group.length === 1) await this.runAlone(group[0]!);
      else await this.runGroup(group);
    } catch (err) {
      // Nothing above should throw; if it does, no caller may wait forever (settling twice is a no-op).
      for (const p of group) p.reject(err);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  private takeGroup(): Pending<Req, Res>[] {
    const group: Pending<Req, Res>[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && group.length < this.options.maxItems) {
      const w = this.hooks.weigh(this.queue[0]!.req);
      if (group.length > 0 && bytes + w > this.options.maxBytes) break;
      bytes += w;
      group.push(this.queue.shift()!);
    }
    return group.sort((a, b) => this.hooks.order(a.req, b.req));
  }

  /** One item: its statement is atomic by itself and committed when it returns (no BEGIN). */
  private async runAlone(p: Pending<Req, Res>): Promise<void> {
    let res: Res;
    try {
      res = await this.hooks.run(this.pool, p.req);
    } catch (err) {
      p.reject(err);
      return;
    }
    p.resolve(res);
    this.announce(res);
  }

  /**
   * A subscriber's failure must not touch a committed delivery's outcome. The announcement waits
   * for the next turn of the event loop: the callers' continuations (the MX's 250) run first, so
   * publishing — encoding the change for the bus, local subscribers — is not between a COMMIT and
   * its acknowledgement. Still after the COMMIT, and in commit order (invariant 6).
   */
  private announce(res: Res): void {
    setImmediate(() => {
      try {
        this.hooks.committed(res);
      } catch {
        /* the change bus isolates its subscribers; nothing to undo here */
      }
    });
  }

  private async runGroup(group: Pending<Req, Res>[]): Promise<void> {
    const outcomes = this.options.pipeline ? await this.inPipeline(this.options.pipeline, group) : await this.inTransaction(group);
    if (outcomes.kind === 'committed') {
      // Every caller learns its outcome first; only then are the changes announced.
      outcomes.results.forEach((r, i) => {
        if (r.ok) group[i]!.resolve(r.value);
        else group[i]!.reject(r.error);
      });
      for (const r of outcomes.results) if (r.ok) this.announce(r.value);
    } else if (outcomes.kind === 'aborted') {
      // Rolled back, nothing written: run each alone so only a failing item fails.
      for (const p of group) await this.runAlone(p);
    } else {
      for (const p of group) p.reject(outcomes.error);
    }
  }

  /**
   * The group's transaction in one round trip: BEGIN, each item's statement (issued by its `run`
   * as soon as it is built: all of them within this turn of the event loop) and COMMIT are queued
   * on the pipelined connection before any answer is read. What `run` sends after its statement's
   * answer (the soft-failure look-up: which of mailbox and quota was missing) goes after the
   * COMMIT, on its own: a read that changes nothing.
   *
   * - COMMIT answered "COMMIT": every statement succeeded and is durable; an item whose `run`
   *   still failed (a soft failure: its statement wrote nothing) fails alone.
   * - COMMIT answered "ROLLBACK": a statement failed and aborted the transaction (those behind it
   *   failed with 25P02); nothing was written, so each item is run alone, as in inTransaction().
   * - BEGIN or COMMIT failed, or the connection went: the outcome is unknown, every item fails.
   */
  private async inPipeline(pipeline: PipelinedConnection, group: Pending<Req, Res>[]): Promise<Outcomes<Res>> {
    let client: pg.Client;
    try {
      client = await pipeline.acquire();
    } catch (error) {
      return { kind: 'failed', error };
    }
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    const begin = settle(client.query('BEGIN'));
    const issued: Promise<void>[] = [];
    const runs = group.map((p) => {
      let markIssued!: () => void;
      issued.push(new Promise<void>((resolve) => (markIssued = resolve)));
      const q: Queryable = {
        query: ((...args: unknown[]) => {
          markIssued();
          return (client.query as (...a: unknown[]) => unknown)(...args);
        }) as Queryable['query'],
      };
      // An item whose run fails before sending anything must not hold the COMMIT back.
      const run = this.hooks.run(q, p.req);
      run.then(markIssued, markIssued);
      return settle(run);
    });
    await Promise.all(issued);
    const commit = settle(client.query('COMMIT'));
    const [began, results, committed] = await Promise.all([begin, Promise.all(runs), commit]);
    if (!began.ok || !committed.ok) {
      const error = !began.ok ? began.error : (committed as { error: unknown }).error;
      if (mustDiscard(client, error)) pipeline.discard(client);
      return { kind: 'failed', error };
    }
    if (committed.value.command !== 'COMMIT') {
      // A statement's error may say the connection's prepared statements are out of step (42P05…).
      if (results.some((r) => !r.ok && mustDiscard(client, r.error))) pipeline.discard(client);
      return { kind: 'aborted' };
    }
    return { kind: 'committed', results };
  }

  private async inTransaction(group: Pending<Req, Res>[]): Promise<Outcomes<Res>> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      return { kind: 'failed', error };
    }
    // As in withTransaction: a connection dying while checked out emits 'error' on the client.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    let committing = false;
    let failure: unknown;
    try {
      await client.query('BEGIN');
      const results: ({ ok: true; value: Res } | { ok: false; error: unknown })[] = [];
      for (const p of group) {
        try {
          results.push({ ok: true, value: await this.hooks.run(client, p.req) });
        } catch (error) {
          if (!this.hooks.isSoftFailure(error)) throw error;
          results.push({ ok: false, error });
        }
      }
      committing = true;
      await client.query('COMMIT');
      return { kind: 'committed', results };
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => {});
      return committing || broken || isDatabaseUnavailable(error) ? { kind: 'failed', error } : { kind: 'aborted' };
    } finally {
      client.off('error', onError);
      // As in withTransaction: a broken or out-of-step connection is destroyed, not pooled again.
      releaseClient(client, broken ?? failure);
    }
  }
}
