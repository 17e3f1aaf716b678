import type { Pool, PoolClient } from '@correio/db';
import pg from 'pg';

/** One statement the application sent, on which pooled connection. */
export interface CountedStatement {
  client: number;
  text: string;
  /**
   * Whether the query waited for the server on its own: false for a query written on a pipelined
   * connection (node-postgres `pipeline: true`, the group commit's) while an earlier one there was
   * still unanswered — it travels in the same round trip.
   */
  roundTrip: boolean;
}

/**
 * Counts what the application sends to PostgreSQL, exactly: every query of every pooled
 * connection (pool.query goes through a client too), in order. node-postgres sends one query at a
 * time per connection and waits for its result, so one query is one round trip. Used by the guards
 * that keep the per-message cost of the hot paths from creeping up (issue 10); exact on real
 * PostgreSQL and on PGlite alike, unlike pg_stat_database, which reports late and counts every
 * backend of the database (autovacuum included).
 */
export class QueryCounter {
  private readonly log: CountedStatement[] = [];
  private readonly wrapped = new WeakSet<PoolClient>();
  private nextClient = 0;

  private constructor() {}

  /**
   * Every connection of this process, the pool's and the dedicated ones (the change bus's
   * LISTEN/NOTIFY connection, the directory's change listener): what attach(pool) cannot see, such
   * as a bus pg_notify per message, counts too. Call detach() when done.
   */
  static attachProcess(ignore: (text: string) => boolean = () => false): QueryCounter {
    const counter = new QueryCounter();
    counter.ignore = ignore;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    const ids = new WeakMap<object, number>();
    const unanswered = new WeakMap<object, number>();
    proto.query = function (this: object, ...args: unknown[]) {
      let id = ids.get(this);
      if (id === undefined) {
        id = counter.nextClient++;
        ids.set(this, id);
      }
      const pipelined = (this as { pipeline?: boolean }).pipeline === true;
      const waiting = unanswered.get(this) ?? 0;
      counter.record(id, args[0], !pipelined || waiting === 0);
      const result = original.apply(this, args);
      if (pipelined && result instanceof Promise) {
        unanswered.set(this, waiting + 1);
        const done = () => unanswered.set(this, (unanswered.get(this) ?? 1) - 1);
        result.then(done, done);
      }
      return result;
    };
    counter.restore = () => {
      proto.query = original;
    };
    return counter;
  }

  private restore = () => {};

  /** Stops counting (attachProcess: puts pg's own query method back). */
  detach(): void {
    this.restore();
  }

  /** Statements not to count (attachProcess's argument). */
  private ignore: (text: string) => boolean = () => false;

  private record(client: number, q: unknown, roundTrip = true): void {
    const text = (typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '')).trim();
    if (!this.ignore(text)) this.log.push({ client, text, roundTrip });
  }

  static attach(pool: Pool): QueryCounter {
    const counter = new QueryCounter();
    // Connections opened from now on, and those already open (pg keeps them in _clients).
    pool.on('connect', (client) => counter.wrap(client));
    for (const client of (pool as unknown as { _clients: PoolClient[] })._clients) counter.wrap(client);
    return counter;
  }

  private wrap(client: PoolClient): void {
    if (this.wrapped.has(client)) return;
    this.wrapped.add(client);
    const id = this.nextClient++;
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      this.record(id, args[0]);
      return original(...args);
    };
  }

  reset(): void {
    this.log.length = 0;
  }

  /** Everything sent since the last reset, in order. */
  get statements(): readonly CountedStatement[] {
    return this.log;
  }

  /** Round trips: every query, except those pipelined behind an unanswered one on the same connection. */
  get roundTrips(): number {
    return this.log.filter((s) => s.roundTrip).length;
  }

  /** Statements that are not transaction control (BEGIN, COMMIT, ROLLBACK, savepoints). */
  get work(): CountedStatement[] {
    return this.log.filter((s) => !isControl(s.text));
  }

  /**
   * Transactions PostgreSQL committed for us: each COMMIT, plus each statement run outside
   * BEGIN … COMMIT (autocommit: one transaction of its own, a read included, as in xact_commit).
   */
  get transactions(): number {
    const open = new Set<number>();
    let n = 0;
    for (const s of this.log) {
      const verb = s.text.split(/\s+/, 1)[0]!.toUpperCase();
      if (verb === 'BEGIN' || verb === 'START') open.add(s.client);
      else if (verb === 'COMMIT' || verb === 'END') {
        open.delete(s.client);
        n++;
      } else if (verb === 'ROLLBACK' && !/^ROLLBACK\s+TO/i.test(s.text)) open.delete(s.client);
      else if (!open.has(s.client)) n++;
    }
    return n;
  }
}

function isControl(text: string): boolean {
  return /^(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(text);
}
