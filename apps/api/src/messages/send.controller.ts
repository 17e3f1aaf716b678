import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CancelSendRequest,
  type CancelSendResult,
  IdempotencyKey,
  type MessageDeliveryStatus,
  SendMessageRequest,
  type SendMessageResult,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { CancelSendRequest as CancelSendRequestBody } from '@correio/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { IdempotencyService, fingerprintOf } from '../idempotency/idempotency.service.js';
import { SendService } from '../outgoing/send.service.js';
import { readMultipartSend } from './multipart-send.js';
import { SendStatusService } from './send-status.service.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class SendController {
  constructor(
    private readonly sender: SendService,
    private readonly idempotency: IdempotencyService,
    private readonly status: SendStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('send')
  @HttpCode(201)
  @RequireScope('mail:send')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description: 'JSON: SendMessageRequest. multipart/form-data: field `message` (that JSON) and files (field `attachments`).',
    schema: schemaRef('SendMessageRequest'),
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Up to 255 printable ASCII characters, per account, kept 24 h: a repeat gets the first answer (same status and body, header ' +
      'Idempotent-Replayed: true) and sends nothing; 409 while the first is still running; 400 with a different request.',
  })
  @ApiOperation({
    summary:
      'Send a message: local recipients get it at once, others are queued for delivery; the Sent mailbox gets a copy. ' +
      'With sendAt (scheduled) or undoSeconds (undo send) every recipient waits in the queue until then.',
    description:
      'JSON: SendMessageRequest (1 MiB body limit; larger files through uploads or multipart). multipart/form-data: a field ' +
      '`message` with the JSON of SendMessageRequest and the files to attach (field `attachments`, any number up to 50), ' +
      'streamed, together at most CORREIO_MAX_MESSAGE_BYTES.',
  })
  @ApiResponse({
    status: 201,
    description: 'SendMessageResult (queueId: GET /api/v1/messages/send/{queueId} for per-recipient status)',
    schema: schemaRef('SendMessageResult'),
  })
  @ApiResponse({
    status: 400,
    description: 'Bad input, an unknown local recipient, or an Idempotency-Key reused with another request',
    schema: API_ERROR,
  })
  @ApiResponse({ status: 403, description: 'A From the account may not use', schema: API_ERROR })
  @ApiResponse({ status: 409, description: 'A request with this Idempotency-Key is still running', schema: API_ERROR })
  @ApiResponse({ status: 413, description: 'The message or its files are larger than CORREIO_MAX_MESSAGE_BYTES', schema: API_ERROR })
  @ApiResponse({ status: 507, description: 'A local mailbox is full', schema: API_ERROR })
  async send(
    @CurrentAccount() account: AccountInfo,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') rawKey?: string,
  ): Promise<SendMessageResult | object | null> {
    const key = rawKey === undefined ? undefined : IdempotencyKey.parse(rawKey);
    let request: unknown;
    let fingerprint: string;
    if (req.isMultipart()) {
      const read = await readMultipartSend(req, this.config.smtp.maxMessageBytes);
      request = read.request;
      // The files count by their bytes' hash, not their base64 text twice over.
      const message = { ...(read.request as object), attachments: undefined };
      fingerprint = fingerprintOf('POST /api/v1/messages/send multipart', { message, files: read.files });
    } else {
      request = req.body;
      fingerprint = fingerprintOf('POST /api/v1/messages/send', request);
    }
    const body = SendMessageRequest.parse(request);
    if (key === undefined) return this.sender.send(account, body);
    const answer = await this.idempotency.run(account.id, key, fingerprint, async (recordWithin) => ({
      statusCode: 201,
      body: await this.sender.send(account, body, (tx, result) => recordWithin(tx, 201, result)),
    }));
    void reply.status(answer.statusCode);
    if (answer.replayed) void reply.header('idempotent-replayed', 'true');
    return answer.body as SendMessageResult | object | null;
  }

  @Get('send/:queueId')
  @RequireScope('mail:read')
  @ApiOperation({
    summary: 'Per-recipient status of a send (queued, deferred, delivered, bounced…; attempts, the last remote reply, explained in words)',
    description: 'queueId is SendMessageResult.queueId. Local recipients that got the message at once are delivered.',
  })
  @ApiResponse({ status: 200, description: 'MessageDeliveryStatus', schema: schemaRef('MessageDeliveryStatus') })
  @ApiResponse({ status: 404, description: "Not a queue entry of the account's sends", schema: API_ERROR })
  deliveryStatus(@CurrentAccount() account: AccountInfo, @Param('queueId') rawId: string): Promise<MessageDeliveryStatus> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('queue entry not found');
    return this.status.ofQueueEntry(account.id, id.toString());
  }

  @Post('send/:queueId/cancel')
  @ApiBody({ schema: schemaRef('CancelSendRequest') })
  @HttpCode(200)
  @RequireScope('mail:send')
  @ApiOperation({
    summary: 'Undo send / cancel a scheduled send while nothing of it has started (409 after); the Sent copy (sentId) goes back to Drafts',
  })
  @ApiResponse({ status: 200, description: 'CancelSendResult', schema: schemaRef('CancelSendResult') })
  @ApiResponse({ status: 404, description: "Not a queue entry of the account's sends", schema: API_ERROR })
  @ApiResponse({ status: 409, description: 'Delivery has started', schema: API_ERROR })
  cancel(
    @CurrentAccount() account: AccountInfo,
    @Param('queueId') rawId: string,
    @Body(new ZodPipe(CancelSendRequest)) body: CancelSendRequestBody,
  ): Promise<CancelSendResult> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('queue entry not found');
    return this.sender.cancel(account, id.toString(), body.sentId);
  }
}
