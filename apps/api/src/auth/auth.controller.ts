import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginRequest, SESSION_COOKIE, type SessionInfo } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { LoginRequest as LoginRequestBody } from '@correio/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../common/app-error.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { AuthService, type AuthenticatedSession } from './auth.service.js';
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
  @ApiResult(SessionInfoSchema, { errors: [400, 401] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; sets the httpOnly session cookie and returns the CSRF token' })
  async login(
    @Body(new ZodPipe(LoginRequest)) body: LoginRequestBody,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionInfo> {
    const s = await this.auth.login(body.address, body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' });
    void reply.setCookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.session.cookieSecure,
      path: '/',
      maxAge: Math.floor(this.config.session.ttlMs / 1000),
    });
    return { account: pick(s), csrfToken: s.csrfToken };
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

function pick(s: AuthenticatedSession): SessionInfo['account'] {
  const { id, address, displayName, role } = s.account;
  return { id, address, displayName, role };
}
