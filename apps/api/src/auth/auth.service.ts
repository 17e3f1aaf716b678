import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { type AccountInfo, DirectoryService } from '../directory/directory.service.js';
import { TwoFactorService } from '../security/two-factor.service.js';
import { LoginThrottle } from './login-throttle.js';
import { LoginChallengeRepository } from './repositories/login-challenge.repository.js';
import { SessionRepository } from './repositories/session.repository.js';

export interface AuthenticatedSession {
  account: AccountInfo;
  csrfToken: string;
  /** The web session's row id; '' for a Bearer key (no session). */
  sessionId: string;
}

export interface ClientMeta {
  ip: string;
  userAgent: string;
}

/** A new session (token for the cookie) or a login waiting for its second factor (challenge for its cookie). */
export type LoginOutcome =
  | { kind: 'session'; token: string; session: AuthenticatedSession }
  | { kind: 'second-factor'; challengeToken: string };

/** How long, and for how many wrong codes, a password-checked login waits for its second factor. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_MAX_FAILURES = 5;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Web sessions: the cookie carries 32 random bytes; the database keeps only their SHA-256. With
 * two-factor login on (issue 15) the password step yields a challenge (its own random token, also
 * kept only as SHA-256) that a TOTP or recovery code turns into a session: 5 minutes, 5 wrong codes,
 * and the same progressive throttle per IP and account as the password.
 */
@Injectable()
export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly sessions: SessionRepository,
    private readonly challenges: LoginChallengeRepository,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async login(address: string, password: string, meta: ClientMeta): Promise<LoginOutcome> {
    const accountKey = `acct:${address.trim().toLowerCase()}`;
    const keys = [`ip:${meta.ip}`, accountKey];
    const delay = this.throttle.delayFor(keys);
    if (delay > 0) await sleep(delay);
    const account = await this.directory.authenticate(address, password);
    if (!account) {
      this.throttle.recordFailure(keys);
      throw new AppError(ErrorCode.Unauthenticated, 'wrong address or password');
    }
    if (await this.twoFactor.isEnabled(account.id)) {
      // The password step does not clear the account's throttle: only a completed login does.
      const challengeToken = randomBytes(32).toString('base64url');
      await this.challenges.create({
        accountId: BigInt(account.id),
        tokenHash: sha256(challengeToken),
        ip: meta.ip.slice(0, 100),
        userAgent: meta.userAgent.slice(0, 500),
        expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
      });
      return { kind: 'second-factor', challengeToken };
    }
    // Only the account's counter: if a success cleared the client address's too, a client spraying
    // guesses over many accounts could reset its own throttle by logging in to an account it owns.
    this.throttle.recordSuccess([accountKey]);
    return this.openSession(account, meta);
  }

  /** The second step: a TOTP code or a recovery code for the challenge of the password step. */
  async completeSecondFactor(challengeToken: string, code: string, meta: ClientMeta): Promise<LoginOutcome & { kind: 'session' }> {
    const challenge = await this.challenges.findByTokenHash(sha256(challengeToken));
    if (!challenge || challenge.expiresAt.getTime() < Date.now()) {
      throw new AppError(ErrorCode.Unauthenticated, 'the sign-in expired; enter your password again');
    }
    const accountKey = `acct2fa:${challenge.accountId}`;
    const keys = [`ip:${meta.ip}`, accountKey];
    const delay = this.throttle.delayFor(keys);
    if (delay > 0) await sleep(delay);
    const account = await this.directory.getAccount(challenge.accountId.toString());
    if (!account || account.disabled) throw new AppError(ErrorCode.Unauthenticated, 'the sign-in expired; enter your password again');
    if (!(await this.twoFactor.verifySecondFactor(account.id, code))) {
      this.throttle.recordFailure(keys);
      if ((await this.challenges.recordFailure(challenge.id)) >= CHALLENGE_MAX_FAILURES) {
        await this.challenges.delete(challenge.id);
        throw new AppError(ErrorCode.Unauthenticated, 'too many wrong codes; enter your password again');
      }
      throw new AppError(ErrorCode.Unauthenticated, 'wrong code');
    }
    // Single use: of two racing requests with good codes, only the one that removes it logs in.
    if (!(await this.challenges.delete(challenge.id)))
      throw new AppError(ErrorCode.Unauthenticated, 'the sign-in expired; enter your password again');
    this.throttle.recordSuccess([accountKey, `acct:${account.address}`]);
    return this.openSession(account, meta);
  }

  private async openSession(account: AccountInfo, meta: ClientMeta): Promise<LoginOutcome & { kind: 'session' }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const id = await this.sessions.create({
      accountId: BigInt(account.id),
      tokenHash: sha256(token),
      csrfToken,
      expiresAt: new Date(Date.now() + this.config.session.ttlMs),
      ip: meta.ip.slice(0, 100),
      userAgent: meta.userAgent.slice(0, 500),
    });
    return { kind: 'session', token, session: { account, csrfToken, sessionId: id.toString() } };
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
    return { account, csrfToken: s.csrfToken, sessionId: s.id.toString() };
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(sha256(token));
  }
}
