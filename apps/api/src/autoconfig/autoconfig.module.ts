import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DirectoryModule } from '../directory/directory.module.js';
import { AutoconfigController } from './autoconfig.controller.js';

/** Mail client set-up documents (autoconfig, Autodiscover, .mobileconfig). */
@Module({ imports: [DirectoryModule], controllers: [AutoconfigController] })
export class AutoconfigModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Autodiscover requests arrive as text/xml: kept as a string (the controller reads one element). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('text/xml')) {
      fastify.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
    }
  }
}
