import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type CreatedWebhook,
  CreateWebhookRequest,
  type WebhookDeliveryList,
  WebhookDeliveryListQuery,
  type WebhookDeliveryView,
  type WebhookList,
  type WebhookView,
  UpdateWebhookRequest,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type {
  CreateWebhookRequest as CreateWebhookBody,
  UpdateWebhookRequest as UpdateWebhookBody,
  WebhookDeliveryListQuery as DeliveryListQuery,
} from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { WebhooksService } from './webhooks.service.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ERROR = { description: 'Error', schema: ref('ApiError') };

/** Webhook endpoints (issue 13 item 4). Managing them needs only mail:read: they only ever read the account's events. */
@ApiTags('webhooks')
@RequireScope('mail:read')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Create a webhook: POSTs of the chosen events, signed as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature). ' +
      'The answer holds the signing secret (whsec_…), shown only here. 400 for a URL on a private/loopback address (SSRF) or that does not resolve.',
  })
  @ApiResponse({ status: 201, schema: ref('CreatedWebhook') })
  @ApiResponse({ status: 400, ...ERROR })
  create(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(CreateWebhookRequest)) body: CreateWebhookBody): Promise<CreatedWebhook> {
    return this.webhooks.create(account.id, body.url, body.events);
  }

  @Get()
  @ApiOperation({ summary: "The account's webhooks (without their secrets)" })
  @ApiResponse({ status: 200, schema: ref('WebhookList') })
  async list(@CurrentAccount() account: AccountInfo): Promise<WebhookList> {
    return { webhooks: await this.webhooks.list(account.id) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook; 404 if it is not this account’s' })
  @ApiResponse({ status: 200, schema: ref('WebhookView') })
  @ApiResponse({ status: 404, ...ERROR })
  get(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(account.id, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL (checked again), the events, or pause/resume it (enabled); deliveries wait while it is disabled' })
  @ApiResponse({ status: 200, schema: ref('WebhookView') })
  @ApiResponse({ status: 400, ...ERROR })
  @ApiResponse({ status: 404, ...ERROR })
  update(@CurrentAccount() account: AccountInfo, @Param('id') id: string, @Body(new ZodPipe(UpdateWebhookRequest)) body: UpdateWebhookBody): Promise<WebhookView> {
    return this.webhooks.update(account.id, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its delivery history' })
  @ApiResponse({ status: 404, ...ERROR })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(account.id, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary:
      'Deliveries of the webhook, newest first, each with its attempts (time, duration, response status code). The receiver’s answer body is never kept or shown.',
  })
  @ApiResponse({ status: 200, schema: ref('WebhookDeliveryList') })
  @ApiResponse({ status: 404, ...ERROR })
  deliveries(
    @CurrentAccount() account: AccountInfo,
    @Param('id') id: string,
    @Query(new ZodPipe(WebhookDeliveryListQuery)) query: DeliveryListQuery,
  ): Promise<WebhookDeliveryList> {
    return this.webhooks.listDeliveries(account.id, id, query.limit, query.cursor);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again now (same webhook-id), with a fresh retry window; 404 once its event is no longer kept' })
  @ApiResponse({ status: 202, schema: ref('WebhookDeliveryView') })
  @ApiResponse({ status: 404, ...ERROR })
  redeliver(@CurrentAccount() account: AccountInfo, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<WebhookDeliveryView> {
    return this.webhooks.redeliver(account.id, id, deliveryId);
  }
}
