import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { MailEventsService } from '../events/mail-events.service.js';
import type { BlobStore } from '../mailbox-store/blob-store.js';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import { type DsnRecipient, enhancedStatus, wantsNotice, xtextDecode } from './dsn-composer.js';
import { DestinationLimiter } from './destination-limiter.js';
import { DsnService } from './dsn.service.js';
import { LocalDelivery } from './local-delivery.js';
import { type AttemptOutcome, type ClaimedRecipient, OutboundQueueRepository } from './repositories/outbound-queue.repository.js';
import { resolveRoutes } from './route-resolver.js';
import { type DsnParameters, type RecipientOutcome, type RelayOptions, SmtpSender } from './smtp-sender.js';
import { parseTransportMap, type Route } from './transport-map.js';
import { outboundResults } from '../metrics/metrics.js';

const BATCH = 50;
// An idle worker looks for due work this often (one indexed SKIP LOCKED query): new entries from another
// process (submission, an admin release, a scheduled time) wait at most this long.
const IDLE_POLL_MS = 100;
const MAX_PARALLEL = 100; // SMTP transactions at once per worker process (Postfix default_process_limit)
const MAX_IN_FLIGHT = 200; // claimed groups (running or waiting for a slot) per worker process
const PURGE_EVERY_MS = 60_000;
const PURGE_BATCH = 500;
/** Claimed messages up to this size have their bytes read with the batch (one transaction); larger ones when their turn comes. */
const PREFETCH_MAX_BYTES = 256 * 1024;
const PREFETCH_BATCH_BYTES = 8 * 1024 * 1024;
/** How long "is this domain ours?" is remembered (a domain added or removed takes effect within it). */
const LOCAL_DOMAIN_TTL_MS = 30_000;

/** A claimed group: the recipients of one message at one destination domain. */
interface Group {
  recipients: ClaimedRecipient[];
  /** performance.now() when the claim was sent: the lease runs at least leaseMs from then. */
  claimedAt: number;
  raw?: Buffer;
}

/**
 * The DSN parameters to pass on (RFC 3461 §6.1). nodemailer sends one NOTIFY and ORCPT for every
 * RCPT of a transaction, so NOTIFY goes only when the group's recipients agree on it, and ORCPT
 * only for a single recipient; RET and ENVID belong to the message.
 */
function dsnParameters(group: ClaimedRecipient[]): DsnParameters | undefined {
  const first = group[0]!;
  const dsn: DsnParameters = {};
  if (first.dsnRet) dsn.ret = first.dsnRet;
  if (first.dsnEnvid) dsn.envid = xtextDecode(first.dsnEnvid);
  if (first.dsnNotify && group.every((r) => r.dsnNotify === first.dsnNotify)) dsn.notify = first.dsnNotify;
  if (group.length === 1 && first.dsnOrcpt) dsn.orcpt = xtextDecode(first.dsnOrcpt);
  return Object.keys(dsn).length ? dsn : undefined;
}

/**
 * The delivery worker (role `delivery`): claims due recipients (SKIP LOCKED + lease, so several
 * processes can run it), groups them per message and destination domain, DKIM-signs with the
 * sender domain's keys, and sends one SMTP transaction per group: through the transport map, the
 * smarthost, or the domain's MX hosts. 2xx → delivered; 5xx → bounced at once; 4xx or no connection
 * → deferred on the retry schedule until the message expires, then bounced. Each attempt is
 * recorded with its reply (outbound_attempts). Bounces (and, once, long delays) are reported to the
 * envelope sender by a DSN made in the same transaction that records them (DsnService).
 */
@Injectable()
export class DeliveryWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('delivery');
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly transportMap: Map<string, Route>;
  private readonly smarthost?: { route: Route; relay: RelayOptions };
  private readonly limiter: DestinationLimiter;
  private readonly sender: SmtpSender;
  private readonly recorder: OutcomeRecorder;
  private readonly localDomains = new Map<string, { local: boolean; until: number }>();
  private inFlight = 0;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly queue: OutboundQueueRepository,
    private readonly dsn: DsnService,
    private readonly local: LocalDelivery,
    private readonly events: MailEventsService,
  ) {
    this.transportMap = parseTransportMap(config.delivery.transportMap);
    // Up to one claim batch waits per domain beyond its connections: claimed before the running ones run dry.
    this.limiter = new DestinationLimiter(MAX_PARALLEL, config.delivery.maxPerDomain, BATCH);
    this.sender = new SmtpSender({ maxIdlePerRoute: config.delivery.maxPerDomain });
    this.recorder = new OutcomeRecorder((rows) => this.queue.recordOutcomes(this.pool, this.owner, rows));
    const s = config.delivery.smarthost;
    if (s) this.smarthost = { route: { host: s.host, port: s.port }, relay: s };
  }

  onModuleInit(): void {
    if (!this.config.roles.includes('delivery')) return;
    this.running = true;
    this.loop = this.run();
    this.logger.log(`delivery worker ${this.owner} started`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.sender.closeAll();
  }

  /** Wakes an idle worker loop now (after enqueueing, so tests and users do not wait for the poll). */
  nudge(): void {
    this.wake?.();
  }

  /**
   * Claims what is due now and delivers it, resolving when those deliveries are done (tests; the
   * loop does the same without waiting, so a slow destination never holds up the next claim).
   */
  async runOnce(): Promise<number> {
    const { count, done } = await this.claimAndDispatch();
    await done;
    return count;
  }

  private async claimAndDispatch(): Promise<{ count: number; done: Promise<unknown> }> {
    const claimedAt = performance.now();
    // Domains that already have all the work they may run are left for later or other workers.
    const claimed = await this.queue.claimDue(this.owner, this.config.delivery.leaseMs, BATCH, this.limiter.saturated());
    const byKey = new Map<string, Group>();
    for (const r of claimed) {
      const key = `${r.messageId}|${r.domain}`;
      const g = byKey.get(key);
      if (g) g.recipients.push(r);
      else byKey.set(key, { recipients: [r], claimedAt });
    }
    const groups = [...byKey.values()];
    const prefetch = this.prefetch(groups);
    return { count: claimed.length, done: Promise.all(groups.map((g) => this.dispatch(g, prefetch))) };
  }

  /**
   * The bytes of a claimed batch's small messages, read in ONE transaction (one commit, not one per
   * message); big ones are read when their group's turn comes, so waiting groups hold little memory.
   */
  private prefetch(groups: Group[]): Promise<void> {
    const wanted = new Map<string, Group[]>();
    let bytes = 0;
    for (const g of groups) {
      const first = g.recipients[0]!;
      const key = `${first.accountId}|${first.blobId}`;
      const same = wanted.get(key);
      if (same) {
        same.push(g);
        continue;
      }
      if (first.size > PREFETCH_MAX_BYTES || bytes + first.size > PREFETCH_BATCH_BYTES) continue;
      bytes += first.size;
      wanted.set(key, [g]);
    }
    if (wanted.size === 0) return Promise.resolve();
    // Reads only: nothing else waits on the pool while this client is held.
    return withTransaction(this.pool, async (tx) => {
      for (const list of wanted.values()) {
        const first = list[0]!.recipients[0]!;
        const raw = await this.blobs.get(tx, first.accountId, first.blobId);
        for (const g of list) g.raw = raw;
      }
    }).catch((err: Error) => this.logger.warn(`reading queued messages failed: ${err.message}`));
  }

  private async dispatch(group: Group, prefetch: Promise<void>): Promise<void> {
    const domain = group.recipients[0]!.domain;
    this.inFlight++;
    await this.limiter.acquire(domain);
    try {
      await prefetch;
      const sent = await this.deliverGroup(group);
      // Recorded before the slot is free: a worker never has more than its slots' worth of
      // transactions between a remote 250 and their record (what a crash can duplicate).
      if (sent) await this.record(sent.recipients, sent.outcomes, sent.original);
    } catch (err) {
      this.logger.warn(`group ${domain} failed: ${(err as Error).message}`);
    } finally {
      // The loop is woken when the domain can take more work again (it claims nothing of a busy one).
      const room = this.limiter.release(domain);
      this.inFlight--;
      if (room || this.inFlight === MAX_IN_FLIGHT - 1) this.wake?.();
    }
  }

  /**
   * Removes finished entries (every recipient delivered or bounced) older than
   * CORREIO_DELIVERY_KEEP_FINISHED, with their bytes: the queue does not grow forever, and the admin
   * API keeps showing what happened recently. Returns how many entries went.
   */
  async purgeFinished(): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      const done = await this.queue.purgeFinished(tx, this.config.delivery.keepFinishedMs, PURGE_BATCH);
      for (const d of done) await this.blobs.delete(tx, d.accountId, d.blobId);
      return done.length;
    });
  }

  private async run(): Promise<void> {
    const pending = new Set<Promise<unknown>>();
    let lastPurge = 0;
    while (this.running) {
      if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = Date.now();
        await this.purgeFinished().catch((err: Error) => this.logger.warn(`purge failed: ${err.message}`));
      }
      let n = 0;
      if (this.inFlight < MAX_IN_FLIGHT) {
        try {
          const { count, done } = await this.claimAndDispatch();
          n = count;
          pending.add(done);
          void done.then(() => pending.delete(done));
        } catch (err) {
          this.logger.warn(`claim failed: ${(err as Error).message}`);
        }
      }
      if ((n === 0 || this.inFlight >= MAX_IN_FLIGHT) && this.running) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, IDLE_POLL_MS).unref();
        });
      }
    }
    await Promise.all(pending); // shutdown: let started transactions finish and be recorded
  }

  /**
   * The lease check right before sending: the recipients of the group this worker still holds. A
   * group that waited for a connection slot may have outlived its lease, and another worker may
   * have claimed it since; those are dropped here (never sent twice without a crash). The lease is
   * renewed with one UPDATE unless it was claimed moments ago (less than a tenth of the lease and
   * at most 30 s): then at least 90% of it is left, as good as a renewal, and no round trip is spent.
   */
  private async stillHeld(group: Group): Promise<ClaimedRecipient[]> {
    const leaseMs = this.config.delivery.leaseMs;
    if (performance.now() - group.claimedAt < Math.min(leaseMs / 10, 30_000)) return group.recipients;
    const held = await this.queue.renewLease(this.owner, leaseMs, group.recipients.map((r) => r.id));
    group.claimedAt = performance.now();
    const mine = group.recipients.filter((r) => held.has(r.id));
    if (mine.length < group.recipients.length) this.logger.warn(`${group.recipients.length - mine.length} recipient(s) of message ${group.recipients[0]!.messageId} lost their lease while waiting; not sent`);
    return mine;
  }

  /**
   * Whether the domain is one of ours, remembered for LOCAL_DOMAIN_TTL_MS: a query per message for
   * an answer that changes when an admin adds or removes a domain would cost every delivery a round trip.
   */
  private async isLocalDomain(domain: string): Promise<boolean> {
    const now = Date.now();
    const hit = this.localDomains.get(domain);
    if (hit && hit.until > now) return hit.local;
    const local = await this.local.isLocalDomain(domain);
    if (this.localDomains.size >= 10_000) this.localDomains.clear();
    this.localDomains.set(domain, { local, until: now + LOCAL_DOMAIN_TTL_MS });
    return local;
  }

  /** Sends one group (the queued bytes are signed already); returns what to record, or nothing when the lease is gone. */
  private async deliverGroup(g: Group): Promise<{ recipients: ClaimedRecipient[]; outcomes: RecipientOutcome[]; original: Buffer } | undefined> {
    const group = await this.stillHeld(g);
    if (group.length === 0) return undefined;
    const first = group[0]!;
    const raw = g.raw ?? (await this.blobs.get(this.pool, first.accountId, first.blobId));
    g.raw = undefined;
    if (!raw) return { recipients: group, outcomes: group.map((r) => ({ address: r.address, status: 'permanent', reply: 'message bytes missing' })), original: Buffer.alloc(0) };
    // This server's own domains never go over SMTP (issue 4: local recipients skip it).
    if (await this.isLocalDomain(first.domain)) return { recipients: group, outcomes: await this.local.deliver(group, raw), original: raw };
    // Postfix's order: an explicit transport map entry, then the relay host, then "*", then DNS.
    const mapped = this.transportMap.get(first.domain);
    const relay = mapped ? undefined : this.smarthost;
    const fixed = mapped ?? relay?.route ?? this.transportMap.get('*');
    const routing = fixed ? ({ ok: true, routes: [fixed] } as const) : await resolveRoutes(first.domain, this.dns, this.config.delivery.allowPrivate);
    if (!routing.ok) {
      const status = routing.permanent ? 'permanent' : 'temporary';
      return { recipients: group, outcomes: group.map((r) => ({ address: r.address, status, reply: routing.reason })), original: raw };
    }
    const dsn = dsnParameters(group);
    let outcomes: RecipientOutcome[] = [];
    for (const route of routing.routes) {
      outcomes = await this.sender.send(route, this.config.hostname, first.envelopeFrom, group.map((r) => r.address), raw, relay?.relay, dsn);
      // Try the next MX only when this one could not be reached at all (RFC 5321 §5.1).
      if (!outcomes.every((o) => o.status === 'temporary' && o.reply.startsWith('connection to'))) break;
    }
    return { recipients: group, outcomes, original: raw };
  }

  /**
   * Records the group's outcomes and, in the SAME transaction, the notices they call for: one DSN
   * listing the recipients that failed now, one listing those delayed past the warning time. The
   * failure_notified_at / delay_notified_at marks commit with the notice, so a crash cannot send two.
   */
  private async record(group: ClaimedRecipient[], outcomes: RecipientOutcome[], original: Buffer): Promise<void> {
    const first = group[0]!;
    const now = new Date();
    const planned = group.map((r) => this.plan(r, outcomes.find((x) => x.address === r.address), now));
    for (const p of planned) this.logger.log(`${p.address}: ${p.row.state} (${p.row.reply.slice(0, 120)})`);
    // Looked up before the transaction: nothing waits on the pool while holding a client.
    const target = planned.some((p) => p.notice) ? await this.dsn.targetOf(first.envelopeFrom) : ({ kind: 'nobody' } as const);
    const rows = planned.map((p) => (target.kind === 'nobody' ? { ...p.row, failureNotified: false, delayNotified: false } : p.row));
    if (target.kind === 'nobody') {
      await this.recorder.record(rows);
      this.events.announceAccountEvents(first.accountId); // issue 13: the outcome statement wrote delivery.* events
      return;
    }
    const copies = await withTransaction(this.pool, async (tx) => {
      const recorded = await this.queue.recordOutcomes(tx, this.owner, rows);
      const mine = planned.filter((p) => p.notice && recorded.has(p.row.id)).map((p) => p.notice!);
      const base = { envid: first.dsnEnvid, ret: first.dsnRet, arrivalDate: first.createdAt, original };
      return [
        ...(await this.dsn.issueWithin(tx, target, first.accountId, { ...base, recipients: mine.filter((n) => n.action === 'failed') })),
        ...(await this.dsn.issueWithin(tx, target, first.accountId, { ...base, recipients: mine.filter((n) => n.action === 'delayed') })),
      ];
    });
    this.dsn.publish(copies);
    this.events.announceAccountEvents(first.accountId);
    if (target.kind !== 'local' || target.forwards.length) this.nudge();
  }

  /** What one attempt means for one recipient: its new state, next attempt, and the notice it calls for. */
  private plan(r: ClaimedRecipient, outcome: RecipientOutcome | undefined, now: Date): { address: string; row: AttemptOutcome; notice?: DsnRecipient } {
    const o = outcome ?? { status: 'temporary' as const, reply: 'no result', address: r.address };
    const expired = o.status === 'temporary' && now.getTime() >= r.expiresAt.getTime();
    const state = o.status === 'delivered' ? 'delivered' : o.status === 'permanent' || expired ? 'bounced' : 'deferred';
    outboundResults.inc({ result: state === 'delivered' ? 'sent' : state });
    const reply = expired ? `gave up after ${r.attempts + 1} attempts: ${o.reply}` : o.reply;
    const schedule = this.config.delivery.retryScheduleMs;
    const wait = schedule[Math.min(r.attempts, schedule.length - 1)]!;
    // The last retry is at expiry at the latest, so a message bounces on time.
    const nextAttemptAt = state === 'deferred' ? new Date(Math.min(now.getTime() + wait, r.expiresAt.getTime())) : null;
    // RFC 5321 §4.5.5: nothing is ever reported to the null sender.
    const hasSender = r.envelopeFrom !== '';
    const warnAfter = this.config.delivery.delayWarningMs;
    const failureNotified = state === 'bounced' && hasSender && wantsNotice(r.dsnNotify, 'failure');
    const delayNotified =
      state === 'deferred' && hasSender && warnAfter > 0 && !r.delayNotifiedAt && now.getTime() - r.notBefore.getTime() >= warnAfter && wantsNotice(r.dsnNotify, 'delay');
    const row: AttemptOutcome = { id: r.id, state, reply, remoteHost: o.remoteHost ?? null, nextAttemptAt, failureNotified, delayNotified };
    if (!failureNotified && !delayNotified) return { address: r.address, row };
    const notice: DsnRecipient = {
      address: r.address,
      orcpt: r.dsnOrcpt,
      action: failureNotified ? 'failed' : 'delayed',
      // RFC 3463 4.4.7: delivery time expired (the last reply stays in Diagnostic-Code).
      status: expired ? '4.4.7' : enhancedStatus(o.reply, o.status === 'permanent'),
      diagnostic: o.reply,
      remoteHost: o.remoteHost ?? null,
      lastAttemptAt: now,
      willRetryUntil: delayNotified ? r.expiresAt : undefined,
    };
    return { address: r.address, row, notice };
  }
}

/**
 * Group commit for attempt outcomes that need no notice: while one recordOutcomes statement runs,
 * the outcomes that finish meanwhile wait and go together in the next one. Nothing is delayed on
 * purpose (an idle worker records at once), and under load one statement and one commit serve many
 * messages. Each caller gets the ids of its rows the statement recorded.
 */
class OutcomeRecorder {
  private pending: { rows: AttemptOutcome[]; resolve: (ids: Set<string>) => void; reject: (err: unknown) => void }[] = [];
  private busy = false;

  constructor(private readonly write: (rows: AttemptOutcome[]) => Promise<Set<string>>) {}

  record(rows: AttemptOutcome[]): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.pending.length) {
      const batch = this.pending.splice(0, 500);
      try {
        const ids = await this.write(batch.flatMap((b) => b.rows));
        for (const b of batch) b.resolve(new Set(b.rows.filter((r) => ids.has(r.id)).map((r) => r.id)));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.busy = false;
  }
}
