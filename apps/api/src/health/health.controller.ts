import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from '@correio/db';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Public } from '../auth/session.guard.js';
import { ApiResult } from '../common/api-result.js';
import { PG_POOL } from '../database/database.module.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']), latencyMs: z.number().optional() });

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Public()
  @Get()
  @ApiResult(Health, { description: 'The database answers (503 with status "degraded" when it does not)' })
  @ApiOperation({ summary: 'Liveness and database check: 200 when the database answers, 503 otherwise' })
  async check(@Res() reply: FastifyReply): Promise<void> {
    const started = Date.now();
    try {
      await this.pool.query('SELECT 1');
      await reply.status(200).send({ status: 'ok', database: 'ok', latencyMs: Date.now() - started });
    } catch {
      await reply.status(503).send({ status: 'degraded', database: 'unreachable' });
    }
  }
}
