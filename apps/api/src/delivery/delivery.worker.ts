import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { dkimSign } from 'mailauth';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { DirectoryService } from '../directory/directory.service.js';
import type { BlobStore } from '../mailbox-store/blob-store.js';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import { type ClaimedRecipient, OutboundQueueRepository } from './repositories/outbound-queue.repository.js';
import { resolveRoutes } from './route-resolver.js';
import { type RecipientOutcome, sendOnce } from './smtp-sender.js';
import { parseTransportMap, type Route } from './transport-map.js';

const BATCH = 50;
const LEASE_MS = 10 * 60_000; // longer than one SMTP attempt can take (timeouts in smtp-sender)
const IDLE_POLL_MS = 500;
const MAX_PARALLEL = 20; // transactions in flight per worker process
const PER_DOMAIN = 4; // so one slow destination cannot take every slot

/**
 * The delivery worker (role `delivery`): claims due recipients (SKIP LOCKED + lease, so several
 * processes can run it), groups them per message and destination domain, DKIM-signs with the
 * sender domain's keys, and sends one SMTP transaction per group through the transport map or the
 * domain's MX hosts. 2xx → delivered; 5xx → bounced at once; 4xx or no connection → deferred on the
 * retry schedule until the message expires (5 days), then bounced.
 * Not yet: delivery status notifications to the sender (RFC 3464), delay warnings.
 */
@Injectable()
export class DeliveryWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('delivery');
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly transportMap: Map<string, Route>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly queue: OutboundQueueRepository,
    private readonly directory: DirectoryService,
  ) {
    this.transportMap = parseTransportMap(config.delivery.transportMap);
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
  }

  /** Runs one claim-and-deliver pass now (tests, and a nudge after enqueueing). */
  async runOnce(): Promise<number> {
    const claimed = await this.queue.claimDue(this.owner, LEASE_MS, BATCH);
    const groups = new Map<string, ClaimedRecipient[]>();
    for (const r of claimed) groups.set(`${r.messageId}|${r.domain}`, [...(groups.get(`${r.messageId}|${r.domain}`) ?? []), r]);
    const perDomain = new Map<string, number>();
    const pending = [...groups.values()];
    const workers = Array.from({ length: Math.min(MAX_PARALLEL, pending.length) }, async () => {
      for (let g = pending.shift(); g; g = pending.shift()) {
        const domain = g[0]!.domain;
        while ((perDomain.get(domain) ?? 0) >= PER_DOMAIN) await new Promise((r) => setTimeout(r, 50));
        perDomain.set(domain, (perDomain.get(domain) ?? 0) + 1);
        try {
          await this.deliverGroup(g);
        } catch (err) {
          this.logger.warn(`group ${domain} failed: ${(err as Error).message}`);
        } finally {
          perDomain.set(domain, (perDomain.get(domain) ?? 1) - 1);
        }
      }
    });
    await Promise.all(workers);
    return claimed.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.runOnce();
      } catch (err) {
        this.logger.warn(`claim failed: ${(err as Error).message}`);
      }
      if (n === 0 && this.running) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, IDLE_POLL_MS).unref();
        });
      }
    }
  }

  private async deliverGroup(group: ClaimedRecipient[]): Promise<void> {
    const first = group[0]!;
    const raw = await this.blobs.get(this.pool, first.accountId, first.blobId);
    if (!raw) return this.record(group, group.map((r) => ({ address: r.address, status: 'permanent', reply: 'message bytes missing' })));
    const signed = await this.sign(first.envelopeFrom, raw);
    const mapped = this.transportMap.get(first.domain) ?? this.transportMap.get('*');
    const routing = mapped ? ({ ok: true, routes: [mapped] } as const) : await resolveRoutes(first.domain, this.dns, this.config.delivery.allowPrivate);
    if (!routing.ok) {
      const status = routing.permanent ? 'permanent' : 'temporary';
      return this.record(group, group.map((r) => ({ address: r.address, status, reply: routing.reason })));
    }
    let outcomes: RecipientOutcome[] = [];
    for (const route of routing.routes) {
      outcomes = await sendOnce(route, this.config.hostname, first.envelopeFrom, group.map((r) => r.address), signed);
      // Try the next MX only when this one could not be reached at all (RFC 5321 §5.1).
      if (!outcomes.every((o) => o.status === 'temporary' && o.reply.startsWith('connection to'))) break;
    }
    await this.record(group, outcomes);
  }

  /** DKIM-signs with the sender domain's active keys (RSA and Ed25519); unsigned if it has none. */
  private async sign(envelopeFrom: string, raw: Buffer): Promise<Buffer> {
    const domain = envelopeFrom.slice(envelopeFrom.lastIndexOf('@') + 1);
    const signers = domain ? await this.directory.dkimSigners(domain) : [];
    if (signers.length === 0) return raw;
    // signTime is fixed here because without it mailauth reads the clock twice, once for the signed
    // header and once for the emitted one: a second boundary between them breaks the signature.
    const { signatures } = await dkimSign(raw, { signTime: new Date(), signatureData: signers } as never);
    return Buffer.concat([Buffer.from(signatures), raw]);
  }

  private async record(group: ClaimedRecipient[], outcomes: RecipientOutcome[]): Promise<void> {
    const schedule = this.config.delivery.retryScheduleMs;
    for (const r of group) {
      const o = outcomes.find((x) => x.address === r.address) ?? { status: 'temporary' as const, reply: 'no result', address: r.address };
      if (o.status === 'delivered') {
        await this.queue.recordAttempt(this.owner, r.id, { state: 'delivered', reply: o.reply });
      } else if (o.status === 'permanent' || Date.now() >= r.expiresAt.getTime()) {
        await this.queue.recordAttempt(this.owner, r.id, { state: 'bounced', reply: o.status === 'permanent' ? o.reply : `gave up: ${o.reply}` });
      } else {
        const wait = schedule[Math.min(r.attempts, schedule.length - 1)]!;
        await this.queue.recordAttempt(this.owner, r.id, { state: 'deferred', reply: o.reply, nextAttemptAt: new Date(Date.now() + wait) });
      }
      this.logger.log(`${r.address}: ${o.status} (${o.reply.slice(0, 120)})`);
    }
  }
}
