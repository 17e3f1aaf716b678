import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';

/** The media types of a whole message as a request body (RFC 5322; RFC 6532 §3.7 for UTF-8 headers). */
export const RAW_MESSAGE_TYPES = ['message/rfc822', 'message/global'];

/**
 * Teaches Fastify to read a raw message body (POST /api/v1/mailboxes/:id/messages) as bytes, up to
 * the largest message the server stores (CORREIO_MAX_MESSAGE_BYTES; beyond it Fastify answers 413
 * before reading on). The 1 MiB JSON limit of the rest of the API does not apply to it. Registered
 * before the server listens (module init), as Fastify requires.
 */
@Injectable()
export class RawMessageParser implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || RAW_MESSAGE_TYPES.some((t) => fastify.hasContentTypeParser(t))) return;
    fastify.addContentTypeParser(
      RAW_MESSAGE_TYPES,
      { parseAs: 'buffer', bodyLimit: this.config.smtp.maxMessageBytes },
      (_req, body, done) => done(null, body),
    );
  }
}
