import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';

/**
 * Idempotency-Key answers (issue 13: a retried send returns the first answer and sends nothing
 * twice). Owns the table idempotency_keys; exports IdempotencyService. Keys are per account, kept
 * 24 h, pruned every 10 minutes.
 */
@Module({ providers: [IdempotencyRepository, IdempotencyService], exports: [IdempotencyService] })
export class IdempotencyModule {}
