import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { SecurityModule } from '../security/security.module.js';
import { AccountController } from './account.controller.js';
import { AccountSessionsService } from './account-sessions.service.js';
import { AuthController } from './auth.controller.js';
import { LoginChallengeRepository } from './repositories/login-challenge.repository.js';
import { AuthService } from './auth.service.js';
import { SessionRepository } from './repositories/session.repository.js';
import { SessionCleanupService } from './session-cleanup.service.js';
import { SessionGuard } from './session.guard.js';

/**
 * Web authentication. Owns the sessions table. Installs SessionGuard globally: every HTTP route
 * needs a session (and CSRF header when it changes state) or an API key with the route's scope
 * (ApiKeysModule checks the key) unless marked @Public. Issue 15: owns login_challenges too (a login
 * waiting for its second factor, checked by SecurityModule's TwoFactorService) and serves the
 * account's own profile, password change and session list (account.controller).
 */
@Module({
  imports: [DirectoryModule, ApiKeysModule, SecurityModule],
  controllers: [AuthController, AccountController],
  providers: [
    AuthService,
    AccountSessionsService,
    SessionRepository,
    LoginChallengeRepository,
    SessionCleanupService,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
