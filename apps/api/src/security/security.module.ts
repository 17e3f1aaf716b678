import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { AppPasswordsController } from './app-passwords.controller.js';
import { AppPasswordsService } from './app-passwords.service.js';
import { MailLoginService } from './mail-login.service.js';
import { AppPasswordRepository } from './repositories/app-password.repository.js';
import { TwoFactorRepository } from './repositories/two-factor.repository.js';
import { TwoFactorController } from './two-factor.controller.js';
import { TwoFactorService } from './two-factor.service.js';

/**
 * Account security (issue 15). Owns app_passwords, account_totp, recovery_codes. Exports
 * MailLoginService (the mail protocols' one credential check: app passwords per protocol, the
 * account password unless two-factor login is on) and TwoFactorService (the webmail login's second
 * step, in auth/). Invariants: secrets are stored hashed (app passwords argon2id, recovery codes
 * SHA-256) and shown once; a TOTP step and a recovery code are each accepted once; no cache, so a
 * revocation holds at the next login in every process. Routes are session only (a Bearer key: 403).
 */
@Module({
  imports: [DirectoryModule],
  controllers: [AppPasswordsController, TwoFactorController],
  providers: [AppPasswordsService, TwoFactorService, MailLoginService, AppPasswordRepository, TwoFactorRepository],
  exports: [MailLoginService, TwoFactorService],
})
export class SecurityModule {}
