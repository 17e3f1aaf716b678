import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import {
  evaluateRules,
  type MessageFacts,
  needsHeaders,
  parseHeaderFields,
  srsForward,
  srsReverse,
  vacationVerdict,
} from '@correio/mail-rules';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import { DkimSignerCache, dkimSignMessage } from '../delivery/dkim-signing.js';
import { DirectoryService } from '../directory/directory.service.js';
import { IdentityService } from '../directory/identity.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { DeliveryRequest, DeliveryTarget } from '../mailbox-store/mailbox-store.types.js';
import type { ForwardBatch, PendingVacationReply, RulesPlan } from './delivery-plan.js';
import { type AccountRulesRow, RulesRepository } from './repositories/rules.repository.js';
import { RulesCache } from './rules-cache.js';
import type { ChannelListener } from '../database/channel-listener.js';
import { rulesChangeListener } from './rules-change-listener.js';
import { buildForwardCopy, buildVacationReply, timesForwardedBy } from './rules-messages.js';
import { SenderLists } from './sender-lists.js';
import { loadSrsSecret } from './srs-secret.js';

/**
 * How long an account's cached rules live. With notifications (real PostgreSQL) every change is heard
 * at once and this is a safety net. Without them (PGlite) the server is one process and rules are
 * written only through RulesService in it, which drops the entry itself: only a plain-SQL edit waits
 * for this. Long, so a busy account's rules are not read again every few seconds (the MX's
 * per-message cost guard, smtp-ingress/mx-cost.int.test.ts, counts every query).
 */
const RULES_TTL_MS = 10 * 60_000;

/** An account's rules ready for the delivery path (what is derived once per cache load). */
interface Prepared extends AccountRulesRow {
  senderLists: SenderLists;
  needsHeaders: boolean;
  /** Nothing to do for this account: the delivery is unchanged and costs nothing more. */
  inert: boolean;
  /** Loaded on first use, only for accounts with vacation or forwarding. */
  identity?: { address: string; name: string; own: string[] };
  /** Folder name (lower case) → mailbox id, loaded on first use of a move action. */
  folders?: Map<string, string>;
}

/**
 * Runs each target account's rules on a message being delivered (LocalDelivery.storeAndForward,
 * the MX and the queue's local delivery), BEFORE the write: the copy is placed straight where the
 * rules say (never visible in INBOX first), forwards and vacation replies are returned for the
 * delivering transaction to queue. Rules are read from a per-process cache (rules-cache.ts): an
 * account without rules, or with filters only, costs no query.
 */
@Injectable()
export class DeliveryRulesService implements OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryRules');
  private readonly cache: RulesCache;
  private readonly signers = new DkimSignerCache();
  private listener?: ChannelListener;
  private srsSecretValue?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) pool: Pool,
    @Inject(DB_FEATURES) features: DbFeatures,
    private readonly repo: RulesRepository,
    private readonly directory: DirectoryService,
    private readonly identity: IdentityService,
    private readonly store: MailboxStoreService,
  ) {
    this.cache = new RulesCache(RULES_TTL_MS);
    const url = (pool as unknown as { options?: { connectionString?: string } }).options?.connectionString;
    // Started on the first delivery: only processes that deliver (MX, queue worker) keep a LISTEN connection.
    if (features.listenNotify && url)
      this.listener = rulesChangeListener(url, (id) => (id ? this.cache.forget(id) : this.cache.clear()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  /** Drops an account's cached rules (after a write in this process). */
  forget(accountId: string): void {
    this.cache.forget(accountId);
  }

  get srsSecret(): string {
    this.srsSecretValue ??= loadSrsSecret(this.config.rules.srsSecret, this.config.dataDir);
    return this.srsSecretValue;
  }

  /**
   * The original sender behind an SRS0 address we handed out when forwarding (a bounce coming
   * back): the MX forwards it there. undefined for any other address, or a forged/expired one.
   */
  reverseSrs(address: string): string | undefined {
    if (!/^srs0[=+-]/i.test(address)) return undefined;
    const r = srsReverse(address, this.srsSecret);
    return r.ok ? r.address : undefined;
  }

  /** The rules' effect on a delivery. Targets that are not incoming INBOX copies are left alone. */
  async plan(delivery: DeliveryRequest): Promise<RulesPlan> {
    const plan: RulesPlan = { changed: false, targets: [], forwards: [], vacations: [] };
    const ids = delivery.targets.filter(isRuled).map((t) => t.accountId);
    if (ids.length === 0) return { ...plan, targets: delivery.targets };
    this.listener?.start();
    const rules = await this.rulesOf(ids);
    let headers: Map<string, string[]> | undefined;
    const headersOf = () => (headers ??= parseHeaderFields(delivery.raw));
    for (const t of delivery.targets) {
      const r = isRuled(t) ? rules.get(t.accountId) : undefined;
      if (!r || r.inert) {
        plan.targets.push(t);
        continue;
      }
      plan.changed = true;
      await this.applyAccount(r, t, delivery, headersOf, plan);
    }
    return plan;
  }

  private async applyAccount(
    r: Prepared,
    t: DeliveryTarget,
    d: DeliveryRequest,
    headersOf: () => Map<string, string[]>,
    plan: RulesPlan,
  ): Promise<void> {
    const s = d.summary;
    const facts: MessageFacts = {
      from: s.from.address,
      toCc: [...s.to, ...s.cc].map((a) => a.address),
      subject: s.subject,
      headers: r.needsHeaders ? headersOf() : new Map(),
      size: d.raw.length,
      hasAttachment: s.attachments.some((a) => !a.inline),
    };
    const p = evaluateRules(r.filters, facts);
    const sender = r.senderLists.verdict(s.from.address) ?? r.senderLists.verdict(d.envelopeFrom);
    let mailbox: DeliveryTarget['mailbox'] = t.mailbox;
    if (p.folder) {
      const id = await this.folderId(r, p.folder);
      if (id) mailbox = { id };
    }
    if (p.deleted) mailbox = { specialUse: 'trash' };
    // Blocked: to Junk, never dropped. Allowed: never Junk, whatever a filter said.
    if (sender === 'block') mailbox = { specialUse: 'junk' };
    else if (sender === 'allow' && (await this.isJunk(r, mailbox))) mailbox = { specialUse: 'inbox' };
    const forwards = new Set(sender === 'block' ? [] : p.forwards);
    const fw = r.forwarding?.enabled && sender !== 'block' ? r.forwarding : null;
    for (const a of fw?.addresses ?? []) forwards.add(a.toLowerCase());
    let keepLocal = !fw || fw.keepCopy;
    if (forwards.size > 0 || r.vacation?.enabled) await this.identityOf(r);
    if (forwards.size > 0) {
      const me = r.identity!.address;
      forwards.delete(me);
      // RFC 5321 §6.3: a message we already forwarded from this account came back (a loop through
      // another mailbox): keep it here and forward no more, instead of bouncing it forever.
      if (timesForwardedBy(headersOf(), me) > 0) {
        this.logger.warn(`forwarding loop for account ${r.accountId}: kept locally, not forwarded again`);
        forwards.clear();
        keepLocal = true;
      }
    }
    if (forwards.size > 0) plan.forwards.push(await this.forwardBatch(r, d, headersOf(), [...forwards]));
    if (keepLocal || forwards.size === 0)
      plan.targets.push({
        ...t,
        mailbox,
        seen: p.seen || t.seen,
        flagged: p.flagged || t.flagged,
        keywords: mergeKeywords(t.keywords, p.labels),
      });
    if (r.vacation?.enabled && sender !== 'block') {
      const v = await this.vacationReply(r, d, headersOf());
      if (v) plan.vacations.push(v);
    }
  }

  /** Claims the "once per sender" right in the delivering transaction (true: send the reply). */
  claimVacationWithin(tx: PoolClient, v: PendingVacationReply): Promise<boolean> {
    return this.repo.claimVacationReply(tx, v.accountId, v.sender, v.days);
  }

  private async vacationReply(r: Prepared, d: DeliveryRequest, headers: Map<string, string[]>): Promise<PendingVacationReply | undefined> {
    const id = r.identity!;
    const verdict = vacationVerdict(r.vacation, {
      envelopeFrom: d.envelopeFrom,
      headers,
      ownAddresses: id.own,
      recipients: [...d.summary.to, ...d.summary.cc].map((a) => a.address.toLowerCase()),
      now: new Date(),
    });
    if (!verdict.reply) return undefined;
    const reply = await buildVacationReply({
      vacation: r.vacation!,
      from: { name: id.name, address: id.address },
      to: verdict.to,
      original: d.summary,
      hostname: this.config.hostname,
    });
    const raw = await dkimSignMessage(reply, await this.signersOf(id.address));
    return { accountId: r.accountId, sender: verdict.to, days: r.vacation!.days, raw };
  }

  private async forwardBatch(r: Prepared, d: DeliveryRequest, headers: Map<string, string[]>, to: string[]): Promise<ForwardBatch> {
    const me = r.identity!.address;
    const domain = me.slice(me.lastIndexOf('@') + 1);
    const ours = (headers.get('authentication-results') ?? []).find((v) => v.toLowerCase().startsWith(this.config.hostname.toLowerCase()));
    const arc = (d.authResults as { arc?: string } | undefined)?.arc;
    const chain = headers.has('arc-seal') ? (arc === 'pass' ? 'pass' : 'fail') : 'none';
    const raw = await buildForwardCopy({ raw: d.raw, forwardedBy: me, signers: await this.signersOf(me), authResults: ours, chain });
    return { raw, envelopeFrom: srsForward(d.envelopeFrom, domain, this.srsSecret), recipients: to.map((address) => ({ address })) };
  }

  private signersOf(address: string) {
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    return this.signers.get(domain, (dn) => this.directory.dkimSigners(dn));
  }

  private async identityOf(r: Prepared): Promise<void> {
    if (r.identity) return;
    const ids = await this.identity.identities(r.accountId);
    const primary = ids.find((i) => i.isPrimary) ?? ids[0];
    r.identity = {
      address: (primary?.address ?? '').toLowerCase(),
      name: primary?.name ?? '',
      own: ids.map((i) => i.address.toLowerCase()),
    };
  }

  private async folderId(r: Prepared, name: string): Promise<string | undefined> {
    const key = name.toLowerCase();
    if (!r.folders?.has(key)) {
      // First use, or a folder made since: read the account's folders (one query, then cached).
      const rows = await this.store.listMailboxes(r.accountId);
      r.folders = new Map(rows.map((m) => [m.name.toLowerCase(), m.id]));
    }
    return r.folders.get(key);
  }

  private async isJunk(r: Prepared, mailbox: DeliveryTarget['mailbox']): Promise<boolean> {
    if ('specialUse' in mailbox) return mailbox.specialUse === 'junk';
    const rows = await this.store.listMailboxes(r.accountId);
    return rows.some((m) => m.id === mailbox.id && m.specialUse === 'junk');
  }

  private async rulesOf(accountIds: string[]): Promise<Map<string, Prepared>> {
    const out = new Map<string, Prepared>();
    const missing: string[] = [];
    for (const id of new Set(accountIds)) {
      const hit = this.cache.get(id) as Prepared | undefined;
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const row of await this.repo.loadForDelivery(missing)) {
        const p = prepare(row);
        this.cache.set(p);
        out.set(row.accountId, p);
      }
    }
    return out;
  }
}

function prepare(row: AccountRulesRow): Prepared {
  const senderLists = new SenderLists(row.senders);
  const activeFilters = row.filters.some((f) => f.enabled);
  const inert = !activeFilters && senderLists.isEmpty && !row.vacation?.enabled && !row.forwarding?.enabled;
  return { ...row, senderLists, needsHeaders: needsHeaders(row.filters), inert };
}

/** Incoming INBOX copies are what rules place; Sent copies, drafts and the like are not touched. */
function isRuled(t: DeliveryTarget): boolean {
  return t.incoming === true && 'specialUse' in t.mailbox && t.mailbox.specialUse === 'inbox';
}

function mergeKeywords(a: string[] | undefined, b: string[]): string[] | undefined {
  if (b.length === 0) return a;
  return [...new Set([...(a ?? []), ...b])];
}
