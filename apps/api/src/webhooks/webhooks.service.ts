import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreatedWebhook, WebhookDeliveryList, WebhookDeliveryView, WebhookEventType, WebhookView } from '@correio/contracts';
import { AppError, ErrorCode } from '../common/app-error.js';
import { parseId } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { type DeliveryRow, WebhookDeliveryRepository } from './repositories/webhook-delivery.repository.js';
import { type WebhookRow, WebhookRepository } from './repositories/webhook.repository.js';
import { checkWebhookTarget } from './ssrf-guard.js';

const MAX_WEBHOOKS_PER_ACCOUNT = 20;

function toView(w: WebhookRow): WebhookView {
  return { id: w.id, url: w.url, events: w.events as WebhookEventType[], enabled: w.enabled, createdAt: new Date(w.createdAt).toISOString() };
}

function toDeliveryView(d: DeliveryRow): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType ?? 'unknown',
    status: d.state,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.state === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    createdAt: new Date(d.createdAt).toISOString(),
    attempts: d.attempts,
  };
}

/**
 * Webhook endpoints of an account (issue 13 item 4). Another account's webhook is "not found"
 * (DESIGN invariant 4). Targets are checked against SSRF here and again before every attempt.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DNS_RESOLVER) private readonly dns: DnsResolver,
    private readonly webhooks: WebhookRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly bus: MailEventsService,
  ) {}

  async create(accountId: string, url: string, events: WebhookEventType[]): Promise<CreatedWebhook> {
    await this.checkTarget(url);
    if ((await this.webhooks.list(accountId)).length >= MAX_WEBHOOKS_PER_ACCOUNT) {
      throw new AppError(ErrorCode.Conflict, `at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks per account`);
    }
    // Standard Webhooks: the secret is base64 of 24–64 random bytes behind "whsec_".
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const row = await this.webhooks.create(accountId, url, [...new Set(events)], secret);
    return { ...toView(row), secret };
  }

  async list(accountId: string): Promise<WebhookView[]> {
    return (await this.webhooks.list(accountId)).map(toView);
  }

  async get(accountId: string, id: string): Promise<WebhookView> {
    return toView(await this.find(accountId, id));
  }

  async update(accountId: string, id: string, change: { url?: string; events?: WebhookEventType[]; enabled?: boolean }): Promise<WebhookView> {
    await this.find(accountId, id);
    if (change.url !== undefined) await this.checkTarget(change.url);
    const row = await this.webhooks.update(accountId, id, { ...change, events: change.events && [...new Set(change.events)] });
    if (!row) throw AppError.notFound('webhook not found');
    if (change.enabled) this.bus.announceAccountEvents(accountId); // its waiting deliveries are due again
    return toView(row);
  }

  async delete(accountId: string, id: string): Promise<void> {
    if (!parseId(id) || !(await this.webhooks.delete(accountId, id))) throw AppError.notFound('webhook not found');
  }

  async listDeliveries(accountId: string, id: string, limit: number, cursor?: string): Promise<WebhookDeliveryList> {
    await this.find(accountId, id);
    const rows = await this.deliveries.list(accountId, id, limit + 1, cursor);
    const page = rows.slice(0, limit);
    return { deliveries: page.map(toDeliveryView), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Makes a delivery due now (whatever its state) with a fresh retry window; 404 when its event is no longer kept. */
  async redeliver(accountId: string, id: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.find(accountId, id);
    if (!parseId(deliveryId)) throw AppError.notFound('delivery not found');
    const result = await this.deliveries.redeliver(accountId, id, deliveryId, this.config.webhooks.retryForMs);
    if (result === 'missing') throw AppError.notFound('delivery not found');
    if (result === 'gone') throw AppError.notFound('the event of this delivery is no longer kept (CORREIO_EVENTS_KEEP)');
    this.bus.announceAccountEvents(accountId);
    return toDeliveryView((await this.deliveries.find(accountId, id, deliveryId))!);
  }

  private async find(accountId: string, id: string): Promise<WebhookRow> {
    const row = parseId(id) ? await this.webhooks.find(accountId, id) : undefined;
    if (!row) throw AppError.notFound('webhook not found');
    return row;
  }

  private async checkTarget(url: string): Promise<void> {
    const check = await checkWebhookTarget(url, this.dns, this.config.webhooks.allowPrivate);
    if (!check.ok) throw AppError.invalid(`webhook URL refused: ${check.reason}`);
  }
}
