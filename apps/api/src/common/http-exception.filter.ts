import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import { AppError, ErrorCode, HTTP_STATUS, isDatabaseUnavailable } from './app-error.js';

/** Maps every error to the ApiError body ({statusCode, code, message, details?}); hides internals. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { statusCode, body } = this.toBody(exception);
    if (statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    void reply.status(statusCode).header('cache-control', 'no-store').send(body);
  }

  private toBody(exception: unknown): { statusCode: number; body: Record<string, unknown> } {
    if (exception instanceof AppError) {
      const statusCode = HTTP_STATUS[exception.code];
      return { statusCode, body: { statusCode, code: exception.code, message: exception.message, details: exception.details } };
    }
    if (exception instanceof ZodError) {
      const details = exception.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return { statusCode: 400, body: { statusCode: 400, code: ErrorCode.InvalidInput, message: 'invalid request', details } };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const code = statusCode === 404 ? ErrorCode.NotFound : statusCode === 413 ? ErrorCode.TooLarge : ErrorCode.InvalidInput;
      return { statusCode, body: { statusCode, code, message: exception.message } };
    }
    const fastifyStatus = (exception as { statusCode?: number } | undefined)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Fastify's own refusals (body over the route's limit, unsupported content type) keep their
      // status; a 413 says so in `code` too, like every other too-large answer of this API.
      const code = fastifyStatus === 413 ? ErrorCode.TooLarge : ErrorCode.InvalidInput;
      return { statusCode: fastifyStatus, body: { statusCode: fastifyStatus, code, message: (exception as Error).message } };
    }
    if (isDatabaseUnavailable(exception)) {
      return { statusCode: 503, body: { statusCode: 503, code: ErrorCode.Unavailable, message: 'database unavailable, try again' } };
    }
    return { statusCode: 500, body: { statusCode: 500, code: 'internal', message: 'internal error' } };
  }
}
