import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { LoginThrottle } from '../auth/login-throttle.js';
import { AppError } from '../common/app-error.js';
import { hashPassword, verifyPassword } from './password.js';
import { DirectoryRepository } from './repositories/directory.repository.js';

/**
 * The account's own credentials and profile, by account id (issue 15, self-service): check the
 * password again before a sensitive change, change it, rename oneself, and record a login made with
 * another credential (an app password). DirectoryService keeps the admin's and the logins' paths.
 */
@Injectable()
export class AccountCredentialsService {
  /** A stolen session must not become a fast password oracle: wrong re-checks slow down like logins. */
  private readonly throttle = new LoginThrottle();

  constructor(private readonly repo: DirectoryRepository) {}

  /** True when `password` is the account's password (one argon2 verify, after the throttle's delay). */
  async verifyPassword(accountId: string, password: string): Promise<boolean> {
    const keys = [`reauth:${accountId}`];
    const delay = this.throttle.delayFor(keys);
    if (delay > 0) await sleep(delay);
    const a = await this.repo.findAccountById(BigInt(accountId));
    const ok = !!a && (await verifyPassword(a.passwordHash, password));
    if (ok) this.throttle.recordSuccess(keys);
    else this.throttle.recordFailure(keys);
    return ok;
  }

  async changePassword(accountId: string, newPassword: string): Promise<void> {
    if (newPassword.length < 8) throw AppError.invalid('the new password needs at least 8 characters');
    await this.repo.updatePassword(BigInt(accountId), await hashPassword(newPassword));
  }

  async setDisplayName(accountId: string, displayName: string): Promise<string> {
    const a = await this.repo.updateAccount(BigInt(accountId), { displayName: displayName.trim() });
    return a.displayName;
  }

  /** last_login_at for a login that did not go through DirectoryService.authenticate (at most once a minute). */
  async recordLogin(accountId: string): Promise<void> {
    await this.repo.recordLogin(BigInt(accountId));
  }
}
