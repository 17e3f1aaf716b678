import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { SessionRepository } from './repositories/session.repository.js';
import { SessionCleanupService } from './session-cleanup.service.js';
import { SessionGuard } from './session.guard.js';

/**
 * Web authentication. Owns the sessions table. Installs SessionGuard globally: every HTTP route
 * needs a session (and CSRF header when it changes state) or an API key with the route's scope
 * (ApiKeysModule checks the key) unless marked @Public.
 */
@Module({
  imports: [DirectoryModule, ApiKeysModule],
  controllers: [AuthController],
  providers: [AuthService, SessionRepository, SessionCleanupService, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AuthService],
})
export class AuthModule {}
