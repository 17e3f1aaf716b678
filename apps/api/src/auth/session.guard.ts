import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_HEADER, SESSION_COOKIE } from '@correio/contracts';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { AuthService, type AuthenticatedSession } from './auth.service.js';

export const IS_PUBLIC = 'correio:isPublic';
/** Marks a route that needs no session (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

type RequestWithSession = FastifyRequest & { session?: AuthenticatedSession };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 route needs a valid session cookie unless marked @Public. State-changing requests
 * also need the X-CSRF-Token header equal to the session's token (double submit): a cross-site
 * form or image cannot set a custom header, and SameSite=Lax already keeps the cookie off most
 * cross-site requests.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<RequestWithSession>();
    const token = req.cookies?.[SESSION_COOKIE];
    const session = token ? await this.auth.validate(token) : undefined;
    if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError(ErrorCode.Forbidden, 'missing or wrong CSRF token');
    }
    req.session = session;
    return true;
  }
}

/** The logged-in account of this request (set by SessionGuard). */
export const CurrentAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): AccountInfo => {
  const session = ctx.switchToHttp().getRequest<RequestWithSession>().session;
  if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
  return session.account;
});

export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedSession | undefined => {
  return ctx.switchToHttp().getRequest<RequestWithSession>().session;
});
