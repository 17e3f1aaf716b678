import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_HEADER, SESSION_COOKIE } from '@correio/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeyPrincipal, ApiKeysService } from '../api-keys/api-keys.service.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { type ApiScope, REQUIRED_SCOPE } from './api-scope.js';
import { AuthService, type AuthenticatedSession } from './auth.service.js';
import { applyRateDecisions } from './rate-limit-headers.js';
import { FixedWindowLimiter, type RateDecision } from './rate-limiter.js';

export const IS_PUBLIC = 'correio:isPublic';
/** Marks a route that needs no session (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const IS_SESSION_ONLY = 'correio:isSessionOnly';
/** Marks a route (or controller) an API key may not call (403): key management needs a logged-in person. */
export const SessionOnly = () => SetMetadata(IS_SESSION_ONLY, true);

/** The request after SessionGuard: `session` for both paths (CurrentAccount reads it), `apiKey` for Bearer requests. */
export type AuthenticatedRequest = FastifyRequest & { session?: AuthenticatedSession; apiKey?: ApiKeyPrincipal };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The handler and controller class whose metadata the reflector reads. */
type RouteTargets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * The token of `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme name is case-insensitive,
 * RFC 9110 §11.1), '' for a Bearer header without one, undefined when there is no Bearer header (the
 * cookie path then decides; another scheme such as Basic is not ours and is ignored).
 */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^bearer(?:\s+(\S*))?\s*$/i.exec(header) : null;
  return m ? (m[1] ?? '') : undefined;
}

/**
 * Every /api/v1 route needs a caller unless marked @Public, by one of two paths:
 *  - a session cookie (the webmail): full rights of its account; state-changing requests also need
 *    the X-CSRF-Token header equal to the session's token (double submit: a cross-site form or image
 *    cannot set a custom header, and SameSite=Lax already keeps the cookie off most cross-site requests);
 *  - `Authorization: Bearer <API key>` (programs): no CSRF token (a browser never attaches this header
 *    by itself, so there is no ambient authority to forge), and only the key's scopes: the route's
 *    @RequireScope, else GET/HEAD → mail:read and anything else → mail:write. Missing scope → 403;
 *    unknown, revoked or expired key → 401. @SessionOnly routes refuse keys (403).
 * Rate limits (issue 13): every Bearer request and every request with an invalid session cookie
 * counts against the client address; a key's requests also against the key. Webmail sessions are
 * not counted: all of them arrive from the Next.js server's address, and login has its own throttle.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly perIp: FixedWindowLimiter;
  private readonly perKey: FixedWindowLimiter;

  constructor(
    private readonly auth: AuthService,
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.perIp = new FixedWindowLimiter(config.apiLimits.perIp, config.apiLimits.windowMs);
    this.perKey = new FixedWindowLimiter(config.apiLimits.perKey, config.apiLimits.windowMs);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets: RouteTargets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const http = ctx.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const token = bearerToken(req.headers.authorization);
    if (token !== undefined) {
      await this.viaKey(req, reply, token, targets);
      return true;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    const session = cookie ? await this.auth.validate(cookie) : undefined;
    if (!session) {
      // A wrong cookie is a guess and counts; no cookie at all is a logged-out visitor of the
      // webmail (all of them share the web server's address) and does not.
      if (cookie) applyRateDecisions(reply, this.countIp(req));
      throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
    }
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError(ErrorCode.Forbidden, 'missing or wrong CSRF token');
    }
    req.session = session;
    return true;
  }

  private async viaKey(req: AuthenticatedRequest, reply: FastifyReply, token: string, targets: RouteTargets): Promise<void> {
    const ipDecisions = this.countIp(req);
    applyRateDecisions(reply, ipDecisions);
    const principal = token ? await this.keys.authenticate(token, req.ip) : undefined;
    if (!principal) {
      // RFC 6750 §3: a 401 to a Bearer request names the scheme and the error.
      void reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(ErrorCode.Unauthenticated, 'unknown, revoked or expired API key');
    }
    applyRateDecisions(reply, [...ipDecisions, ...(this.perKey.isEnabled ? [this.perKey.take(`key:${principal.keyId}`)] : [])]);
    if (this.reflector.getAllAndOverride<boolean>(IS_SESSION_ONLY, targets)) {
      throw new AppError(ErrorCode.Forbidden, 'API keys are managed from a logged-in session, not with a key');
    }
    const required = this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, targets) ?? defaultScope(req.method);
    if (!principal.scopes.includes(required)) {
      void reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${required}"`);
      throw new AppError(ErrorCode.Forbidden, `this API key lacks the ${required} scope`);
    }
    req.session = { account: principal.account, csrfToken: '', sessionId: '' };
    req.apiKey = principal;
  }

  private countIp(req: FastifyRequest): RateDecision[] {
    return this.perIp.isEnabled ? [this.perIp.take(`ip:${req.ip}`)] : [];
  }
}

/** The scope contract's default (api-scope.ts): reading needs mail:read, anything else mail:write. */
function defaultScope(method: string): ApiScope {
  return SAFE_METHODS.has(method) ? 'mail:read' : 'mail:write';
}

/** The account of this request: the session's, or the API key's (set by SessionGuard). */
export const CurrentAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): AccountInfo => {
  const session = ctx.switchToHttp().getRequest<AuthenticatedRequest>().session;
  if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
  return session.account;
});

export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedSession | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().session;
});

/** The API key of a Bearer request (undefined for a webmail session): id, prefix, scopes. */
export const CurrentApiKey = createParamDecorator((_: unknown, ctx: ExecutionContext): ApiKeyPrincipal | undefined => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
});
