import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';

/** GET /api/health. Owns no tables. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
