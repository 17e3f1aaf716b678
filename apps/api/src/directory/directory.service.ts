import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { RecordWithin } from '../common/record-within.js';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import type { ChannelListener } from '../database/channel-listener.js';
import { directoryChangeListener } from './directory-change-listener.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { type AccountChanges, type AccountInfo, toInfo } from './account-info.js';
import { domainOf, isValidAddress, isValidDomain, normalizeAddress } from './address.js';
import { type DnsRecord, dkimTxt, generateDkimKeys, txtRecord } from './dkim-keys.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { DirectoryWriteRepository } from './repositories/directory-write.repository.js';
import { RecipientCache } from './recipient-cache.js';
import { type RecipientResolution, toResolution } from './recipient-resolution.js';
import { RecipientRepository } from './repositories/recipient.repository.js';
import { recordLoginFailure } from './login-failure-tally.js';

// What these methods return; imported from here by most of the app (an account is the directory's).
export type { AccountChanges, AccountInfo } from './account-info.js';
export type { RecipientResolution } from './recipient-resolution.js';

/**
 * How long the MX may answer RCPT from a cached resolution without hearing of a change. Writes
 * through this service clear the cache at once; this bounds what another process (the CLI, a
 * cluster worker, SQL) changed when no notification reaches us (PGlite). See recipient-cache.ts.
 */
const RECIPIENT_CACHE_TTL_MS = 5_000;

/**
 * Domains, accounts, passwords and recipient resolution (with the recipient cache every directory
 * write forgets, AliasService's too). Aliases themselves: alias.service.ts.
 */
@Injectable()
export class DirectoryService implements OnApplicationShutdown {
  private readonly recipientCache = new RecipientCache(RECIPIENT_CACHE_TTL_MS);
  private changeListener?: ChannelListener;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
    private readonly repo: DirectoryRepository,
    private readonly writes: DirectoryWriteRepository,
    private readonly recipients: RecipientRepository,
    private readonly store: MailboxStoreService,
  ) {}

  /**
   * Every write below takes an optional `recordWithin` (RecordWithin): run in the write's own
   * transaction after it, so an admin action and its audit entry commit together or not at all.
   * Key generation and password hashing happen before BEGIN: CPU work does not hold a transaction.
   */
  async addDomain(rawName: string, recordWithin?: RecordWithin): Promise<{ id: string; name: string }> {
    const name = normalizeAddress(rawName);
    if (!isValidDomain(name)) throw AppError.invalid(`not a valid domain name: ${rawName}`);
    if (await this.repo.findDomain(name)) throw new AppError(ErrorCode.Conflict, `domain ${name} already exists`);
    const keys = await generateDkimKeys();
    const d = await withTransaction(this.pool, async (tx) => {
      const created = await this.writes.ensureDomain(tx, name, keys);
      if (!created.created) throw new AppError(ErrorCode.Conflict, `domain ${name} already exists`);
      await recordWithin?.(tx);
      return created;
    });
    this.forgetCachedRecipients();
    return { id: d.id, name: d.name };
  }

  async listDomains(): Promise<{ name: string; accounts: number; aliases: number; catchAll: string | null }[]> {
    const rows = await this.repo.listDomains();
    return rows.map((d) => ({ name: d.name, accounts: d._count.accounts, aliases: d._count.aliases, catchAll: d.catchAll }));
  }

  async removeDomain(rawName: string, recordWithin?: RecordWithin): Promise<void> {
    const d = await this.repo.findDomain(normalizeAddress(rawName));
    if (!d) throw AppError.notFound(`no domain ${rawName}`);
    const n = await this.repo.countAccountsInDomain(d.id);
    if (n > 0) throw new AppError(ErrorCode.Conflict, `domain ${d.name} still has ${n} account(s); remove them first`);
    await withTransaction(this.pool, async (tx) => {
      if (!(await this.writes.deleteDomain(tx, d.id))) throw AppError.notFound(`no domain ${rawName}`);
      await recordWithin?.(tx);
    });
    this.forgetCachedRecipients();
  }

  /** Creates the account, its standard mailboxes and, if new, its domain in one transaction. */
  async addAccount(
    input: { address: string; password: string; role?: 'admin' | 'user'; displayName?: string; quotaBytes?: bigint },
    recordWithin?: RecordWithin,
  ): Promise<AccountInfo & { domainCreated: boolean }> {
    const address = normalizeAddress(input.address);
    if (!isValidAddress(address)) throw AppError.invalid(`not a valid address: ${input.address}`);
    if (input.password.length < 8) throw AppError.invalid('password must have at least 8 characters');
    if (await this.repo.findAccountByAddress(address)) throw new AppError(ErrorCode.Conflict, `account ${address} already exists`);
    const domainName = domainOf(address);
    const known = await this.repo.findDomain(domainName);
    const keys = known ? [] : await generateDkimKeys();
    const passwordHash = await hashPassword(input.password);
    const { id, domainCreated } = await withTransaction(this.pool, async (tx) => {
      const domain = known ? { id: known.id.toString(), created: false } : await this.writes.ensureDomain(tx, domainName, keys);
      const accountId = await this.repo.createAccount(tx, {
        domainId: BigInt(domain.id),
        address,
        passwordHash,
        role: input.role ?? 'user',
        displayName: input.displayName ?? '',
        quotaBytes: input.quotaBytes ?? 0n,
      });
      await this.store.createStandardMailboxes(tx, accountId);
      await recordWithin?.(tx);
      return { id: accountId, domainCreated: domain.created };
    });
    this.forgetCachedRecipients();
    const created = await this.repo.findAccountById(BigInt(id));
    return { ...toInfo(created!), domainCreated };
  }

  async listAccounts(domainName?: string): Promise<AccountInfo[]> {
    let domainId: bigint | undefined;
    if (domainName) {
      const d = await this.repo.findDomain(normalizeAddress(domainName));
      if (!d) throw AppError.notFound(`no domain ${domainName}`);
      domainId = d.id;
    }
    return (await this.repo.listAccounts(domainId)).map(toInfo);
  }

  async getAccount(id: string): Promise<AccountInfo | undefined> {
    const a = await this.repo.findAccountInfoById(id);
    return a ? toInfo(a) : undefined;
  }

  async findAccount(rawAddress: string): Promise<AccountInfo | undefined> {
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    return a ? toInfo(a) : undefined;
  }

  async setPassword(rawAddress: string, password: string, recordWithin?: RecordWithin): Promise<void> {
    if (password.length < 8) throw AppError.invalid('password must have at least 8 characters');
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    if (!a) throw AppError.notFound(`no account ${rawAddress}`);
    const passwordHash = await hashPassword(password);
    await withTransaction(this.pool, async (tx) => {
      if (!(await this.writes.updatePassword(tx, a.id, passwordHash))) throw AppError.notFound(`no account ${rawAddress}`);
      await recordWithin?.(tx);
    });
  }

  /** Accounts in address order, optionally matching `search` in the address or display name; keyset after `after`. */
  async searchAccounts(q: { search?: string; after?: string; limit: number }): Promise<AccountInfo[]> {
    return (await this.repo.searchAccounts(q.search?.toLowerCase(), q.after ? normalizeAddress(q.after) : undefined, q.limit)).map(toInfo);
  }

  /** Admin changes to an account; a disabled one stops resolving at once (cache forgotten). */
  async updateAccount(rawAddress: string, changes: AccountChanges, recordWithin?: RecordWithin): Promise<AccountInfo> {
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    if (!a) throw AppError.notFound(`no account ${rawAddress}`);
    if (changes.quotaBytes !== undefined && changes.quotaBytes < 0n) throw AppError.invalid('quota must not be negative');
    if (a.deleteRequestedAt && changes.disabled === false) throw new AppError(ErrorCode.Conflict, `account ${a.address} is being removed`);
    const updated = await withTransaction(this.pool, async (tx) => {
      const row = await this.writes.updateAccount(tx, a.id, changes);
      if (!row) throw AppError.notFound(`no account ${rawAddress}`);
      await recordWithin?.(tx);
      return row;
    });
    this.forgetCachedRecipients();
    return toInfo(updated);
  }

  /**
   * Removal without the wait: disables the account now (no login, 550 5.2.1 at RCPT) and marks it;
   * nextAccountPendingRemoval() + removeAccount() (the admin purge worker) delete it and its mail.
   */
  async requestAccountRemoval(rawAddress: string, recordWithin?: RecordWithin): Promise<AccountInfo> {
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    if (!a) throw AppError.notFound(`no account ${rawAddress}`);
    const updated = await withTransaction(this.pool, async (tx) => {
      const row = await this.writes.markForRemoval(tx, a.id);
      if (!row) throw AppError.notFound(`no account ${rawAddress}`);
      await recordWithin?.(tx);
      return row;
    });
    this.forgetCachedRecipients();
    return toInfo(updated);
  }

  /** The address of an account waiting for removal, oldest request first. */
  async nextAccountPendingRemoval(): Promise<string | undefined> {
    return (await this.repo.nextPendingRemoval())?.address;
  }

  /** Removes the account and all its mail (mailboxes, messages, their bytes, tombstones), at once. */
  async removeAccount(rawAddress: string): Promise<void> {
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    if (!a) throw AppError.notFound(`no account ${rawAddress}`);
    await withTransaction(this.pool, async (tx) => {
      // The account row first: the mail store's lock order (account before its mailboxes).
      if (!(await this.repo.lockAccount(tx, a.id))) throw AppError.notFound(`no account ${rawAddress}`);
      await this.store.purgeAccount(tx, a.id.toString());
      await this.repo.deleteAccount(tx, a.id);
    });
    this.forgetCachedRecipients();
  }

  /** The account when address and password match and it is enabled; same cost either way. */
  async authenticate(rawAddress: string, password: string): Promise<AccountInfo | undefined> {
    const a = await this.repo.findAccountByAddress(normalizeAddress(rawAddress));
    const ok = await verifyPassword(a?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!a || !ok || a.disabled) {
      recordLoginFailure();
      return undefined;
    }
    await this.repo.recordLogin(a.id);
    return toInfo(a);
  }

  /**
   * Where mail for this address goes, in this order: an account; an alias (one level, to accounts
   * and external addresses); the same two for the address without its +tag (plus-addressing,
   * `joel+news@` → `joel@`); the domain's catch-all. Not our domain → remote. One SQL round trip
   * in the common case (see RecipientRepository).
   */
  async resolveRecipient(rawAddress: string): Promise<RecipientResolution> {
    const address = normalizeAddress(rawAddress);
    const domainName = domainOf(address);
    const first = await this.recipients.lookup(address, domainName);
    if (!first.domainExists) return { kind: 'remote' };
    const found = toResolution(first);
    if (found) return found;
    // RFC 3463 X.2.1 "mailbox disabled": the address is an account, switched off by an admin.
    if (first.account?.disabled) return { kind: 'unknown', disabled: true };
    const local = address.slice(0, address.lastIndexOf('@'));
    const plus = local.indexOf('+');
    const fallbacks: string[] = [];
    if (plus > 0) fallbacks.push(`${local.slice(0, plus)}@${domainName}`);
    if (first.catchAll) fallbacks.push(first.catchAll);
    for (const candidate of fallbacks) {
      const r = toResolution(await this.recipients.lookup(candidate, domainOf(candidate)));
      if (r) return r;
    }
    return { kind: 'unknown' };
  }

  /**
   * resolveRecipient() for the MX's RCPT TO: answered from memory when this address resolved to
   * deliverable local accounts a moment ago, so a message to a known address costs no lookup
   * (recipient-cache.ts says what is kept and how it stays right). Other callers, which act on
   * the answer later or rarely, use resolveRecipient() itself.
   */
  async resolveRecipientCached(rawAddress: string): Promise<RecipientResolution> {
    const address = normalizeAddress(rawAddress);
    const hit = this.recipientCache.get(address);
    if (hit) return hit;
    const r = await this.resolveRecipient(address);
    this.recipientCache.offer(address, r);
    return r;
  }

  /**
   * Makes the recipient cache hear directory changes made by other processes at once (the CLI,
   * cluster workers, SQL), through PostgreSQL notifications; the MX calls it when it starts. Without
   * notifications (PGlite) the cache's 5 s TTL bounds them instead.
   */
  watchForChanges(): void {
    if (!this.features.listenNotify || this.changeListener) return;
    const url = (this.pool as unknown as { options: { connectionString?: string } }).options.connectionString;
    if (!url) return;
    this.changeListener = directoryChangeListener(url, () => this.forgetCachedRecipients());
    this.changeListener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.changeListener?.stop();
  }

  /**
   * Drops every cached resolution: after any directory write, on a change notified by another
   * process, and when a delivery found a cached account's mailbox full.
   */
  forgetCachedRecipients(): void {
    this.recipientCache.clear();
  }

  /**
   * Whether the account may use this address as its envelope or header sender: its own address,
   * a +tag of it, or an alias that delivers to it.
   */
  async canSendAs(accountId: string, rawAddress: string): Promise<boolean> {
    const a = await this.repo.findAccountById(BigInt(accountId));
    if (!a || a.disabled) return false;
    const address = normalizeAddress(rawAddress);
    const at = address.lastIndexOf('@');
    const local = address.slice(0, at);
    const plus = local.indexOf('+');
    const base = plus > 0 ? `${local.slice(0, plus)}${address.slice(at)}` : address;
    if (base === a.address) return true;
    return (await this.repo.findAliases(base)).some((alias) => alias.destination === a.address);
  }

  /** Sets (or with null, clears) the domain's catch-all address. */
  async setCatchAll(rawDomain: string, rawAddress: string | null, recordWithin?: RecordWithin): Promise<void> {
    const d = await this.repo.findDomain(normalizeAddress(rawDomain));
    if (!d) throw AppError.notFound(`no domain ${rawDomain}`);
    const address = rawAddress === null ? null : normalizeAddress(rawAddress);
    if (address !== null && !isValidAddress(address)) throw AppError.invalid(`not a valid address: ${rawAddress}`);
    await withTransaction(this.pool, async (tx) => {
      if (!(await this.writes.setCatchAll(tx, d.id, address))) throw AppError.notFound(`no domain ${rawDomain}`);
      await recordWithin?.(tx);
    });
    this.forgetCachedRecipients();
  }

  /**
   * The DNS records an admin publishes for a domain: MX, SPF, DMARC and the DKIM keys. A domain
   * made before DKIM keys existed gets its keys here.
   */
  async dnsRecords(rawDomain: string, mxHost: string): Promise<DnsRecord[]> {
    const d = await this.repo.findDomain(normalizeAddress(rawDomain));
    if (!d) throw AppError.notFound(`no domain ${rawDomain}`);
    let keys = await this.repo.listPublishedDkimKeys(d.id);
    if (keys.length === 0) {
      await this.repo.addDkimKeys(d.id, await generateDkimKeys());
      keys = await this.repo.listPublishedDkimKeys(d.id);
    }
    return [
      { name: d.name, type: 'MX', value: `10 ${mxHost}.`, zone: `${d.name}. IN MX 10 ${mxHost}.`, purpose: 'mail for the domain comes to this server' },
      txtRecord(d.name, 'v=spf1 mx -all', 'SPF (RFC 7208): only the domain\'s MX hosts send its mail'),
      txtRecord(`_dmarc.${d.name}`, `v=DMARC1; p=quarantine; rua=mailto:postmaster@${d.name}`, 'DMARC (RFC 7489) policy and reports'),
      ...keys.map((k) => txtRecord(`${k.selector}._domainkey.${d.name}`, dkimTxt(k), `DKIM (RFC 6376${k.algorithm === 'ed25519_sha256' ? ', RFC 8463 Ed25519' : ', RSA 2048'}) public key`)),
    ];
  }

  /** The active signing keys of a domain, for the delivery worker (mailauth signatureData shape). */
  async dkimSigners(rawDomain: string): Promise<{ signingDomain: string; selector: string; privateKey: string; algorithm: string }[]> {
    const d = await this.repo.findDomain(normalizeAddress(rawDomain));
    if (!d) return [];
    return (await this.repo.listDkimKeys(d.id)).map((k) => ({
      signingDomain: d.name,
      selector: k.selector,
      privateKey: k.privateKey,
      algorithm: k.algorithm === 'rsa_sha256' ? 'rsa-sha256' : 'ed25519-sha256',
    }));
  }

  /**
   * dkimSigners() in ONE statement through the caller's queryable (the outbound queue signs inside
   * the accepting transaction, and nothing may wait on the pool while that transaction holds a client).
   */
  async dkimSignersWithin(
    q: { query: Pool['query'] },
    rawDomain: string,
  ): Promise<{ signingDomain: string; selector: string; privateKey: string; algorithm: string }[]> {
    const { rows } = await q.query<{ name: string; selector: string; private_key: string; algorithm: string }>(
      `SELECT d.name, k.selector, k.private_key, k.algorithm::text AS algorithm
         FROM domains d JOIN dkim_keys k ON k.domain_id = d.id
        WHERE d.name = $1 AND k.active ORDER BY k.id`,
      [normalizeAddress(rawDomain)],
    );
    return rows.map((k) => ({
      signingDomain: k.name,
      selector: k.selector,
      privateKey: k.private_key,
      algorithm: k.algorithm === 'rsa_sha256' ? 'rsa-sha256' : 'ed25519-sha256',
    }));
  }

  async countAccounts(role?: 'admin' | 'user'): Promise<number> {
    return this.repo.countAccounts(role);
  }

  async isLocalDomain(domain: string): Promise<boolean> {
    return !!(await this.repo.findDomain(normalizeAddress(domain)));
  }
}
