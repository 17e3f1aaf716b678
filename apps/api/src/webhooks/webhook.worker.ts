import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { AccountEventsService, eventBody } from '../events/account-events.service.js';
import { type AttemptOutcome, type ClaimedDelivery, WebhookDeliveryRepository } from './repositories/webhook-delivery.repository.js';
import { nextAttemptAt } from './retry-schedule.js';
import { checkWebhookTarget } from './ssrf-guard.js';
import { postWebhook, type WebhookResponse } from './webhook-sender.js';

const CLAIM_BATCH = 50;
const MAX_IN_FLIGHT = 100; // requests at once per process
const FAN_OUT_PER_WEBHOOK = 500; // events turned into deliveries per webhook and round
/** Idle: look for due retries and missed events this often. */
const IDLE_POLL_MS = 500;
/**
 * Committed events that are not final yet (an older transaction of the cluster still runs: the
 * outbox horizon) are looked for again this soon.
 */
const PENDING_POLL_MS = 5;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 5_000;

/** webhook-id of an event: stable across attempts and redeliveries (receivers deduplicate on it). */
export const webhookMessageId = (eventId: string) => `evt_${eventId}`;

/**
 * The webhook worker (runs with the `delivery` role, beside the outbound mail queue: both are the
 * server's outgoing traffic, which an operator may want on hosts with egress). Several processes
 * may run it: the fan-out locks webhooks with SKIP LOCKED and moves each one's cursor in the
 * statement that creates its deliveries; deliveries are claimed with SKIP LOCKED and a lease, so
 * each attempt is made by one process, and a crashed process's claims are retried when their
 * lease runs out (the same webhook-id: receivers see a duplicate, never a gap).
 *
 * A 2xx answer ends a delivery for good. Anything else (status, timeout, refused connection, a
 * target that now resolves to a private address) is retried with backoff (retry-schedule.ts) until
 * the delivery's retry window (CORREIO_WEBHOOKS_RETRY_FOR) is over, then it is failed.
 */
@Injectable()
export class WebhookWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private woken = false;
  /** The last fan-out saw committed events waiting for the horizon. */
  private pendingEvents = false;
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private unsubscribe?: () => void;
  private readonly recorder: AttemptRecorder;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly events: AccountEventsService,
  ) {
    // Longer than one attempt can take (the DNS check and the request's timeout), so a live worker keeps its claims.
    this.leaseMs = 2 * config.webhooks.timeoutMs + 10_000;
    this.recorder = new AttemptRecorder((rows) => this.deliveries.recordAttempts(this.owner, rows));
  }

  onModuleInit(): void {
    this.running = true;
    this.unsubscribe = this.events.onWake(() => this.nudge());
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  /** New events may be there: look now. */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let lastPrune = 0;
    while (this.running) {
      if (Date.now() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await this.prune().catch((err: Error) => this.logger.warn(`prune failed: ${err.message}`));
      }
      this.woken = false;
      let busy = false;
      try {
        busy = (await this.runOnce()) > 0;
      } catch (err) {
        this.logger.warn(`webhook round failed: ${(err as Error).message}`);
      }
      if (!this.running) break;
      if (busy && this.inFlight < MAX_IN_FLIGHT) continue;
      if (this.woken) continue;
      const wait = this.pendingEvents ? PENDING_POLL_MS : IDLE_POLL_MS;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, wait).unref();
      });
      this.wake = undefined;
    }
    await Promise.all(this.pending);
  }

  /** One round: fan events out into deliveries, claim what is due and start sending it. Returns what it found. */
  async runOnce(): Promise<number> {
    const { created, pending } = await this.deliveries.fanOut(FAN_OUT_PER_WEBHOOK, this.config.webhooks.retryForMs);
    this.pendingEvents = pending;
    const room = MAX_IN_FLIGHT - this.inFlight;
    const claimed = room > 0 ? await this.deliveries.claimDue(this.owner, this.leaseMs, Math.min(CLAIM_BATCH, room)) : [];
    for (const d of claimed) {
      this.inFlight++;
      const p = this.attempt(d)
        .catch((err: Error) => this.logger.warn(`webhook delivery ${d.id} failed: ${err.message}`))
        .finally(() => {
          this.inFlight--;
          this.pending.delete(p);
          if (this.inFlight === MAX_IN_FLIGHT - 1) this.wake?.(); // room again: claim more
        });
      this.pending.add(p);
    }
    return created + claimed.length;
  }

  /** Waits for the attempts started so far (tests). */
  async drain(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const at = new Date();
    const target = await checkWebhookTarget(d.url, this.dns, this.config.webhooks.allowPrivate);
    const response: WebhookResponse = target.ok
      ? await postWebhook({
          url: d.url,
          address: target.address,
          family: target.family,
          secret: d.secret,
          messageId: webhookMessageId(d.eventId),
          body: JSON.stringify(eventBody({ type: d.eventType, createdAt: d.eventCreatedAt, payload: d.payload })),
          timeoutMs: this.config.webhooks.timeoutMs,
        })
      : { error: target.reason, durationMs: 0 };
    const statusCode = 'statusCode' in response ? response.statusCode : null;
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const next = ok ? null : nextAttemptAt(d.attemptCount + 1, new Date(), d.retryUntil, this.config.webhooks.retryBaseMs);
    const recorded = await this.recorder.record({
      id: d.id,
      state: ok ? 'succeeded' : next ? 'pending' : 'failed',
      nextAttemptAt: next,
      attempt: { at: at.toISOString(), durationMs: response.durationMs, statusCode, error: 'error' in response ? response.error : null },
    });
    if (!recorded) this.logger.warn(`webhook delivery ${d.id}: lease lost before its outcome was recorded`);
    if (!ok && !next) this.logger.warn(`webhook delivery ${d.id} to ${d.url} failed for good after ${d.attemptCount + 1} attempts`);
  }

  private async prune(): Promise<void> {
    const keep = this.config.events.keepMs;
    await this.deliveries.prune(keep, PRUNE_BATCH);
    await this.events.prune(keep, PRUNE_BATCH);
  }
}

/**
 * Group commit for attempt outcomes (as the outbound queue's OutcomeRecorder): while one UPDATE
 * runs, outcomes that finish meanwhile wait and go together in the next one; an idle worker
 * records at once. Each caller learns whether its row was recorded (it still held the lease).
 */
class AttemptRecorder {
  private pending: { row: AttemptOutcome; resolve: (ok: boolean) => void; reject: (err: unknown) => void }[] = [];
  private busy = false;

  constructor(private readonly write: (rows: AttemptOutcome[]) => Promise<Set<string>>) {}

  record(row: AttemptOutcome): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.busy) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.busy = true;
    while (this.pending.length) {
      const batch = this.pending.splice(0, 500);
      try {
        const ids = await this.write(batch.map((b) => b.row));
        for (const b of batch) b.resolve(ids.has(b.row.id));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.busy = false;
  }
}
