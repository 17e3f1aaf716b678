import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  LOGIN_CHALLENGE_COOKIE,
  LoginRequest,
  type LoginResult,
  SESSION_COOKIE,
  SecondFactorRequest,
  type SessionInfo,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { LoginRequest as LoginRequestBody, SecondFactorRequest as SecondFactorBody } from '@correio/contracts';
import { LoginResult as LoginResultSchema } from '@correio/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../common/app-error.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { AuthService, type AuthenticatedSession, CHALLENGE_TTL_MS, type LoginOutcome } from './auth.service.js';
import { CurrentSession, Public } from './session.guard.js';
import { SessionInfo as SessionInfoSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @ApiResult(LoginResultSchema, { errors: [400, 401] })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Log in; sets the httpOnly session cookie and returns the CSRF token. With two-factor login on, answers ' +
      '{ secondFactorRequired: true } and sets a 5-minute challenge cookie instead: POST /auth/login/second-factor next',
  })
  async login(
    @Body(new ZodPipe(LoginRequest)) body: LoginRequestBody,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const outcome = await this.auth.login(body.address, body.password, clientMeta(req));
    if (outcome.kind === 'second-factor') {
      void reply.setCookie(LOGIN_CHALLENGE_COOKIE, outcome.challengeToken, { ...this.cookieOptions(), maxAge: CHALLENGE_TTL_MS / 1000 });
      return { secondFactorRequired: true, methods: ['totp', 'recovery'] };
    }
    return this.startSession(outcome, reply);
  }

  @Public()
  @Post('login/second-factor')
  @ApiResult(SessionInfoSchema, { errors: [400, 401] })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Second login step: a TOTP code or a recovery code for the challenge cookie; sets the session cookie (5 wrong codes end the challenge)',
  })
  async secondFactor(
    @Body(new ZodPipe(SecondFactorRequest)) body: SecondFactorBody,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionInfo> {
    const challenge = req.cookies?.[LOGIN_CHALLENGE_COOKIE];
    if (!challenge) throw new AppError(ErrorCode.Unauthenticated, 'the sign-in expired; enter your password again');
    const outcome = await this.auth.completeSecondFactor(challenge, body.code, clientMeta(req));
    void reply.clearCookie(LOGIN_CHALLENGE_COOKIE, { path: '/' });
    return this.startSession(outcome, reply);
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.config.session.cookieSecure, path: '/' };
  }

  private startSession(outcome: LoginOutcome & { kind: 'session' }, reply: FastifyReply): SessionInfo {
    void reply.setCookie(SESSION_COOKIE, outcome.token, { ...this.cookieOptions(), maxAge: Math.floor(this.config.session.ttlMs / 1000) });
    return { account: pick(outcome.session), csrfToken: outcome.session.csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session' })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @ApiResult(SessionInfoSchema)
  @ApiOperation({ summary: 'The logged-in account and its CSRF token' })
  me(@CurrentSession() session: AuthenticatedSession | undefined): SessionInfo {
    if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
    return { account: pick(session), csrfToken: session.csrfToken };
  }
}

function clientMeta(req: FastifyRequest): { ip: string; userAgent: string } {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' };
}

function pick(s: AuthenticatedSession): SessionInfo['account'] {
  const { id, address, displayName, role } = s.account;
  return { id, address, displayName, role };
}
