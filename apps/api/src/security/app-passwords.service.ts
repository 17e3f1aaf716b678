import { Injectable } from '@nestjs/common';
import type {
  AppPasswordList,
  AppPasswordProtocol,
  AppPasswordView,
  CreateAppPasswordRequest,
  CreatedAppPassword,
} from '@correio/contracts';
import { AppError, ErrorCode } from '../common/app-error.js';
import { hashPassword, verifyPassword } from '../directory/password.js';
import { generateAppPassword, parseAppPassword } from './app-password-format.js';
import { type AppPasswordRecord, AppPasswordRepository } from './repositories/app-password.repository.js';

/** Enough for every device a person owns; a bound keeps a runaway script from filling the table. */
const MAX_PER_ACCOUNT = 50;
/** last_used_at/ip are written at most this often per password (and process), not per login. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A verified app password: whose it is and what it opens. */
export interface AppPasswordMatch {
  id: string;
  accountId: string;
  protocols: AppPasswordProtocol[];
}

/**
 * App passwords: named passwords for mail clients, each limited to the protocols chosen for it.
 * Stored as argon2id like the account password; the secret leaves the server once, in the 201.
 * No cache: a revoked password fails at the next login in every process.
 */
@Injectable()
export class AppPasswordsService {
  private readonly lastWritten = new Map<string, number>();

  constructor(private readonly repo: AppPasswordRepository) {}

  async create(accountId: string, req: CreateAppPasswordRequest): Promise<CreatedAppPassword> {
    const account = BigInt(accountId);
    if ((await this.repo.countByAccount(account)) >= MAX_PER_ACCOUNT) {
      throw new AppError(ErrorCode.Conflict, `an account has at most ${MAX_PER_ACCOUNT} app passwords; revoke one first`);
    }
    for (let attempt = 0; ; attempt++) {
      const p = generateAppPassword();
      try {
        const row = await this.repo.create({
          accountId: account,
          name: req.name,
          prefix: p.prefix,
          passwordHash: await hashPassword(p.normalized),
          protocols: [...req.protocols],
        });
        return { ...toView(row), password: p.display };
      } catch (err) {
        // The prefix is unique: a collision (1 in 3·10^8 per existing password) draws again.
        if (attempt < 3 && (err as { code?: string }).code === 'P2002') continue;
        throw err;
      }
    }
  }

  async list(accountId: string): Promise<AppPasswordList> {
    return { appPasswords: (await this.repo.listByAccount(BigInt(accountId))).map(toView) };
  }

  /** Another account's id answers 404, like a missing one (DESIGN invariant 4). */
  async revoke(accountId: string, id: bigint): Promise<void> {
    if (!(await this.repo.delete(BigInt(accountId), id))) throw AppError.notFound('app password not found');
    this.lastWritten.delete(id.toString());
  }

  /**
   * The account's app password `raw` names, when it has the shape, its prefix is one of this
   * account's and the hash matches: one indexed read and one argon2 verify. undefined when it is not
   * one of the account's app passwords (the caller then tries the account password, which may
   * happen to look like one); `false` when the prefix is the account's but the rest is wrong.
   */
  async verify(raw: string, accountId: string): Promise<AppPasswordMatch | false | undefined> {
    const parsed = parseAppPassword(raw);
    if (!parsed) return undefined;
    const row = await this.repo.findByPrefix(parsed.prefix);
    if (!row || row.accountId.toString() !== accountId) return undefined;
    if (!(await verifyPassword(row.passwordHash, parsed.normalized))) return false;
    return { id: row.id.toString(), accountId, protocols: row.protocols as AppPasswordProtocol[] };
  }

  async noteUse(id: string, ip: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastWritten.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastWritten.set(id, now);
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    await this.repo.recordUse(BigInt(id), new Date(now), ip.slice(0, 100));
  }
}

function toView(r: AppPasswordRecord): AppPasswordView {
  return {
    id: r.id.toString(),
    name: r.name,
    protocols: r.protocols as AppPasswordProtocol[],
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: r.lastUsedIp,
  };
}
