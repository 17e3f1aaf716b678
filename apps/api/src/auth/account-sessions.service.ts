import { Injectable } from '@nestjs/common';
import type { ChangePasswordResult, WebSessionList } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import { AccountCredentialsService } from '../directory/account-credentials.service.js';
import type { AuthenticatedSession } from './auth.service.js';
import { LoginChallengeRepository } from './repositories/login-challenge.repository.js';
import { SessionRepository } from './repositories/session.repository.js';
import { deviceFromUserAgent } from './user-agent-device.js';

/**
 * The person's own view of their web sessions (issue 15): list them, sign one out, sign out all
 * the others, and change the password, which signs out every other session and every login waiting
 * for its second factor (this one stays, so the person is not thrown out of the page they are on).
 */
@Injectable()
export class AccountSessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly challenges: LoginChallengeRepository,
    private readonly credentials: AccountCredentialsService,
  ) {}

  async list(current: AuthenticatedSession): Promise<WebSessionList> {
    const rows = await this.sessions.listByAccount(BigInt(current.account.id));
    return {
      sessions: rows.map((r) => ({
        id: r.id.toString(),
        device: deviceFromUserAgent(r.userAgent),
        userAgent: r.userAgent,
        ip: r.ip,
        createdAt: r.createdAt.toISOString(),
        lastSeenAt: r.lastSeenAt.toISOString(),
        isCurrent: r.id.toString() === current.sessionId,
      })),
    };
  }

  /** Another account's session id answers 404, like a missing one. Signing out this session is allowed. */
  async signOut(current: AuthenticatedSession, id: bigint): Promise<void> {
    if (!(await this.sessions.deleteOne(BigInt(current.account.id), id))) throw AppError.notFound('session not found');
  }

  async signOutOthers(current: AuthenticatedSession): Promise<number> {
    return this.sessions.deleteOthers(BigInt(current.account.id), currentId(current));
  }

  async changePassword(current: AuthenticatedSession, currentPassword: string, newPassword: string): Promise<ChangePasswordResult> {
    const accountId = current.account.id;
    if (!(await this.credentials.verifyPassword(accountId, currentPassword))) {
      throw AppError.invalid('the current password is not right', [{ path: 'currentPassword', message: 'not right' }]);
    }
    if (currentPassword === newPassword)
      throw AppError.invalid('the new password is the current one', [{ path: 'newPassword', message: 'unchanged' }]);
    await this.credentials.changePassword(accountId, newPassword);
    await this.challenges.deleteByAccount(BigInt(accountId));
    return { otherSessionsSignedOut: await this.sessions.deleteOthers(BigInt(accountId), currentId(current)) };
  }
}

function currentId(s: AuthenticatedSession): bigint | undefined {
  return s.sessionId ? BigInt(s.sessionId) : undefined;
}
