import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { type AccountInfo, DirectoryService } from '../directory/directory.service.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionRepository } from './repositories/session.repository.js';

export interface AuthenticatedSession {
  account: AccountInfo;
  csrfToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Web sessions: the cookie carries 32 random bytes; the database keeps only their SHA-256. */
@Injectable()
export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly sessions: SessionRepository,
  ) {}

  async login(address: string, password: string, meta: { ip: string; userAgent: string }): Promise<AuthenticatedSession & { token: string }> {
    const accountKey = `acct:${address.trim().toLowerCase()}`;
    const keys = [`ip:${meta.ip}`, accountKey];
    const delay = this.throttle.delayFor(keys);
    if (delay > 0) await sleep(delay);
    const account = await this.directory.authenticate(address, password);
    if (!account) {
      this.throttle.recordFailure(keys);
      throw new AppError(ErrorCode.Unauthenticated, 'wrong address or password');
    }
    // Only the account's counter: if a success cleared the client address's too, a client spraying
    // guesses over many accounts could reset its own throttle by logging in to an account it owns.
    this.throttle.recordSuccess([accountKey]);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.sessions.create({
      accountId: BigInt(account.id),
      tokenHash: sha256(token),
      csrfToken,
      expiresAt: new Date(Date.now() + this.config.session.ttlMs),
      ip: meta.ip.slice(0, 100),
      userAgent: meta.userAgent.slice(0, 500),
    });
    return { token, csrfToken, account };
  }

  /** The session's account, or undefined when the token is unknown, expired or the account is gone. */
  async validate(token: string): Promise<AuthenticatedSession | undefined> {
    const s = await this.sessions.findByTokenHash(sha256(token));
    if (!s || s.expiresAt.getTime() < Date.now()) return undefined;
    const account = await this.directory.getAccount(s.accountId.toString());
    if (!account || account.disabled) return undefined;
    // Sliding expiry, written at most once a minute to keep reads cheap.
    if (Date.now() - s.lastSeenAt.getTime() > 60_000) {
      await this.sessions.touch(s.id, new Date(Date.now() + this.config.session.ttlMs));
    }
    return { account, csrfToken: s.csrfToken };
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(sha256(token));
  }
}
