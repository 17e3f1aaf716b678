import { Injectable } from '@nestjs/common';
import type { ApiKeyList, ApiKeyScope, ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from '@correio/contracts';
import { AppError, ErrorCode } from '../common/app-error.js';
import { type AccountInfo, DirectoryService } from '../directory/directory.service.js';
import { generateApiKey, hashApiKey, isApiKeyShaped } from './api-key-format.js';
import { type ApiKeyRecord, ApiKeyRepository } from './repositories/api-key.repository.js';

/** What a valid key authenticates: its account (as a session would) and the scopes it holds. */
export interface ApiKeyPrincipal {
  account: AccountInfo;
  keyId: string;
  prefix: string;
  scopes: readonly ApiKeyScope[];
}

/** Enough for any integration; a bound keeps a runaway script from filling the table. */
const MAX_KEYS_PER_ACCOUNT = 100;
/** last_used_at/ip are written at most this often per key (and process): not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * API keys: create (the secret leaves only in the answer), list, revoke, and the per-request
 * authentication. There is no cache: each request reads its key row by hash (one indexed read, like
 * a session cookie), so a revocation or expiry holds at once in every process.
 */
@Injectable()
export class ApiKeysService {
  /** keyId → when this process last wrote its last use (so a burst of requests writes once). */
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly directory: DirectoryService,
  ) {}

  async create(account: AccountInfo, req: CreateApiKeyRequest): Promise<CreatedApiKey> {
    if (req.scopes.includes('admin') && account.role !== 'admin') {
      throw new AppError(ErrorCode.Forbidden, 'the admin scope needs an admin account');
    }
    const expiresAt = req.expiresAt ? new Date(req.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw AppError.invalid('expiresAt must be in the future', [{ path: 'expiresAt', message: 'in the past' }]);
    const accountId = BigInt(account.id);
    if ((await this.repo.listByAccount(accountId)).length >= MAX_KEYS_PER_ACCOUNT) {
      throw new AppError(ErrorCode.Conflict, `an account has at most ${MAX_KEYS_PER_ACCOUNT} API keys; revoke one first`);
    }
    const { key, prefix, hash } = generateApiKey();
    const row = await this.repo.create({ accountId, name: req.name, prefix, keyHash: hash, scopes: [...req.scopes], expiresAt });
    const { lastUsedAt: _u, lastUsedIp: _i, ...view } = toView(row);
    return { ...view, key };
  }

  async list(account: AccountInfo): Promise<ApiKeyList> {
    return { keys: (await this.repo.listByAccount(BigInt(account.id))).map(toView) };
  }

  /** Another account's key id answers 404, like a missing one (DESIGN invariant 4). */
  async revoke(account: AccountInfo, id: bigint): Promise<void> {
    if (!(await this.repo.delete(BigInt(account.id), id))) throw AppError.notFound('API key not found');
    this.lastWritten.delete(id.toString());
  }

  /**
   * The principal of a presented key, or undefined when it is unknown, revoked (deleted), expired,
   * or its account is gone or disabled. An admin-scoped key of an account that is no longer an admin
   * loses that scope (checked per request, not only at creation).
   */
  async authenticate(key: string, ip: string): Promise<ApiKeyPrincipal | undefined> {
    if (!isApiKeyShaped(key)) return undefined;
    const row = await this.repo.findByHash(hashApiKey(key));
    if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return undefined;
    const account = await this.directory.getAccount(row.accountId.toString());
    if (!account || account.disabled) return undefined;
    await this.noteUse(row, ip);
    const scopes = (row.scopes as ApiKeyScope[]).filter((s) => s !== 'admin' || account.role === 'admin');
    return { account, keyId: row.id.toString(), prefix: row.prefix, scopes };
  }

  private async noteUse(row: ApiKeyRecord, ip: string): Promise<void> {
    const now = Date.now();
    const id = row.id.toString();
    const stale = !row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS || row.lastUsedIp !== ip;
    if (!stale || now - (this.lastWritten.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastWritten.set(id, now);
    if (this.lastWritten.size > 10_000) this.lastWritten.clear();
    await this.repo.recordUse(row.id, new Date(now), ip.slice(0, 100));
  }
}

function toView(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id.toString(),
    name: r.name,
    scopes: r.scopes as ApiKeyScope[],
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: r.lastUsedIp,
  };
}
