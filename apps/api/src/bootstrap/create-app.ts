import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import type { AppConfig } from '../config/config.schema.js';
import type { OpenDatabase } from '../database/open-database.js';
import { DirectoryService } from '../directory/directory.service.js';
import { ImapService } from '../imap/imap.service.js';
import { Pop3Service } from '../pop3/pop3.service.js';
import { MxService } from '../smtp-ingress/mx.service.js';
import { SMTP_TLS } from '../smtp-ingress/smtp-tls.js';
import { SubmissionService } from '../smtp-ingress/submission.service.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import type { ServingInfo } from './banner.js';
import { ensureFirstRun } from './first-run.js';
import { setupOpenApi } from './openapi.js';

export interface RunningApp extends ServingInfo {
  app: NestFastifyApplication;
}

/** Builds and starts the application for the configured roles (used by main.ts and by tests). */
export async function createApp(config: AppConfig, db: OpenDatabase, logger: LoggerService | false): Promise<RunningApp> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, db.pool, { isPglite: db.isPglite }),
    // JSON bodies up to CORREIO_API_BODY_LIMIT_BYTES (1 MiB): files come through POST
    // /api/v1/uploads, streamed as multipart. Above it Fastify answers 413 (the filter's error body).
    new FastifyAdapter({ bodyLimit: config.apiLimits.bodyLimitBytes, trustProxy: false }),
    { logger, abortOnError: false },
  );
  await app.register(fastifyCookie);
  // Only POST /api/v1/uploads reads multipart (one file, up to the message size limit); the JSON
  // body limit above does not apply to it.
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.smtp.maxMessageBytes, files: 1, fields: 10, parts: 20, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
  });
  app.useGlobalFilters(new HttpExceptionFilter());
  if (config.roles.includes('http')) setupOpenApi(app);

  const firstRun = await ensureFirstRun(config, app.get(DirectoryService));
  let httpPort: number | undefined;
  if (config.roles.includes('http')) {
    await app.listen(config.http.port, config.bind);
    httpPort = Number(new URL(await app.getUrl()).port);
  } else {
    await app.init();
  }
  const smtp = config.roles.includes('smtp');
  const smtpPort = smtp ? app.get(MxService).port : undefined;
  const submissionPorts = smtp ? app.get(SubmissionService).ports : undefined;
  const tlsMaterial = smtp ? app.get<TlsMaterial>(SMTP_TLS) : undefined;
  const tls = tlsMaterial ? `${tlsMaterial.certFile} (${tlsMaterial.source})` : undefined;
  const pop3Ports = config.roles.includes('pop3') ? app.get(Pop3Service).ports : undefined;
  const imapPorts = config.roles.includes('imap') ? app.get(ImapService).ports : undefined;
  return { app, httpPort, smtpPort, submissionPorts, pop3Ports, imapPorts, tls, firstRun };
}
