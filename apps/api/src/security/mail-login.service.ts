import { Injectable } from '@nestjs/common';
import type { AppPasswordProtocol } from '@correio/contracts';
import { AccountCredentialsService } from '../directory/account-credentials.service.js';
import { type AccountInfo, DirectoryService } from '../directory/directory.service.js';
import { recordLoginFailure } from '../directory/login-failure-tally.js';
import { parseAppPassword } from './app-password-format.js';
import { AppPasswordsService } from './app-passwords.service.js';
import { TwoFactorService } from './two-factor.service.js';

/** The protocols' failure text for an account with two-factor login on (RFC 5530 lets IMAP say more). */
export const TWO_FACTOR_HINT = 'Two-factor login is on for this account: use an app password (Settings > App passwords)';

export type MailLoginResult =
  | { ok: true; account: AccountInfo }
  /** `needsAppPassword`: the account has two-factor login on, so only an app password opens mail. */
  | { ok: false; needsAppPassword: boolean };

/**
 * The one credential check of the mail protocols (IMAP LOGIN/AUTHENTICATE, POP3 USER/PASS/AUTH,
 * SMTP submission AUTH). It accepts, in this order:
 *  - an app password of the account for this protocol (its lookup prefix finds one row: one argon2
 *    verify; a password that only looks like one goes on to the next check);
 *  - the account password, unless the account has two-factor login on.
 * One argon2 verify per attempt either way, plus one indexed read; the callers keep their throttle.
 * A failure on an account with two-factor login says so (needsAppPassword) whether or not the
 * account password was right, so the hint tells nothing about the password.
 */
@Injectable()
export class MailLoginService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly credentials: AccountCredentialsService,
    private readonly appPasswords: AppPasswordsService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async authenticate(rawUser: string, password: string, protocol: AppPasswordProtocol, ip: string): Promise<MailLoginResult> {
    // Only a password with an app password's shape costs the account lookup here (a pure check first).
    if (parseAppPassword(password)) {
      const account = await this.directory.findAccount(rawUser);
      const viaApp = account ? await this.appPasswords.verify(password, account.id) : undefined;
      if (account && viaApp !== undefined) {
        if (!viaApp || account.disabled || !viaApp.protocols.includes(protocol)) {
          recordLoginFailure();
          return { ok: false, needsAppPassword: false };
        }
        await this.appPasswords.noteUse(viaApp.id, ip);
        await this.credentials.recordLogin(account.id);
        return { ok: true, account };
      }
    }
    const account = await this.directory.authenticate(rawUser, password);
    if (account && !(await this.twoFactor.isEnabled(account.id))) return { ok: true, account };
    const target = account ?? (await this.directory.findAccount(rawUser));
    return { ok: false, needsAppPassword: !!target && (account !== undefined || (await this.twoFactor.isEnabled(target.id))) };
  }
}
