import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/session.guard.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { MetricsService } from './metrics.service.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Prometheus scrape target. Not a session route: with CORREIO_METRICS_TOKEN set it wants that
 * bearer token; without, it answers loopback clients only (the socket's address: trustProxy is off).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metrics.token;
    if (token) {
      const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, token)) throw new AppError(ErrorCode.Unauthenticated, 'metrics need the bearer token');
    } else if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      throw new AppError(ErrorCode.Forbidden, 'metrics are served to loopback only unless CORREIO_METRICS_TOKEN is set');
    }
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.exposition());
  }
}
