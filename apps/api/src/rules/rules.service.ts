import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { exportSieve, importSieve, type Rule, SieveError, type VacationSettings } from '@correio/mail-rules';
import type { FilterRequest, ForwardingRequest, SenderRuleRequest, VacationRequest } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { DeliveryRulesService } from './delivery-rules.service.js';
import { type FilterRow, type ForwardingRow, RulesRepository, type SenderRuleRow } from './repositories/rules.repository.js';

const isId = (s: string) => /^[1-9][0-9]{0,18}$/.test(s);

/**
 * The settings side of mail rules (REST): filters, Sieve import/export, vacation, forwarding,
 * blocked and allowed senders. Every write drops the account's cached rules in this process at
 * once (other processes hear the tables' notifications).
 */
@Injectable()
export class RulesService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: RulesRepository,
    private readonly delivery: DeliveryRulesService,
    private readonly store: MailboxStoreService,
  ) {}

  listFilters(accountId: string): Promise<FilterRow[]> {
    return this.repo.listFilters(accountId);
  }

  async createFilter(accountId: string, f: FilterRequest): Promise<FilterRow> {
    await this.checkFolders(accountId, [f]);
    return this.changed(accountId, await this.repo.insertFilter(accountId, f));
  }

  async updateFilter(accountId: string, id: string, f: FilterRequest): Promise<FilterRow> {
    await this.checkFolders(accountId, [f]);
    const row = isId(id) ? await this.repo.updateFilter(accountId, id, f) : undefined;
    if (!row) throw AppError.notFound('filter not found');
    return this.changed(accountId, row);
  }

  async deleteFilter(accountId: string, id: string): Promise<void> {
    if (!isId(id) || !(await this.repo.deleteFilter(accountId, id))) throw AppError.notFound('filter not found');
    this.changed(accountId, undefined);
  }

  async reorderFilters(accountId: string, ids: string[]): Promise<FilterRow[]> {
    if (!ids.every(isId)) throw AppError.invalid('ids must be filter ids');
    await withTransaction(this.pool, (tx) => this.repo.reorderFilters(tx, accountId, ids));
    this.changed(accountId, undefined);
    return this.repo.listFilters(accountId);
  }

  async exportSieve(accountId: string): Promise<string> {
    const [filters, vacation] = await Promise.all([this.repo.listFilters(accountId), this.repo.getVacation(accountId)]);
    return exportSieve(filters, vacation);
  }

  /**
   * Replaces the filters with a Sieve script's (and, when it has a vacation action, turns the
   * responder on with its text; the dates stay). A script the forms cannot express is refused
   * whole with the line at fault (400), nothing changed.
   */
  async importSieve(accountId: string, script: string): Promise<FilterRow[]> {
    let parsed: ReturnType<typeof importSieve>;
    try {
      parsed = importSieve(script);
    } catch (err) {
      if (err instanceof SieveError) throw AppError.invalid(`Sieve script: ${err.message}`, { line: err.line });
      throw err;
    }
    await this.checkFolders(accountId, parsed.rules);
    const current = parsed.vacation ? await this.repo.getVacation(accountId) : null;
    await withTransaction(this.pool, async (tx) => {
      await this.repo.replaceFilters(tx, accountId, parsed.rules);
      if (parsed.vacation)
        await this.repo.putVacation(tx, accountId, {
          ...parsed.vacation,
          startsAt: current?.startsAt ?? null,
          endsAt: current?.endsAt ?? null,
        });
    });
    this.changed(accountId, undefined);
    return this.repo.listFilters(accountId);
  }

  async getVacation(accountId: string): Promise<VacationSettings> {
    return (await this.repo.getVacation(accountId)) ?? { enabled: false, subject: '', message: '', days: 7, startsAt: null, endsAt: null };
  }

  async putVacation(accountId: string, v: VacationRequest): Promise<VacationSettings> {
    const value: VacationSettings = {
      ...v,
      startsAt: v.startsAt ? new Date(v.startsAt) : null,
      endsAt: v.endsAt ? new Date(v.endsAt) : null,
    };
    await this.repo.putVacation(this.pool, accountId, value);
    return this.changed(accountId, value);
  }

  async getForwarding(accountId: string): Promise<ForwardingRow> {
    return (await this.repo.getForwarding(accountId)) ?? { enabled: false, addresses: [], keepCopy: true };
  }

  async putForwarding(accountId: string, f: ForwardingRequest): Promise<ForwardingRow> {
    const value = { enabled: f.enabled, addresses: [...new Set(f.addresses.map((a) => a.toLowerCase()))], keepCopy: f.keepCopy };
    await this.repo.putForwarding(accountId, value);
    return this.changed(accountId, value);
  }

  listSenders(accountId: string): Promise<SenderRuleRow[]> {
    return this.repo.listSenders(accountId);
  }

  async putSender(accountId: string, s: SenderRuleRequest): Promise<SenderRuleRow> {
    return this.changed(accountId, await this.repo.putSender(accountId, s.kind, s.pattern));
  }

  async deleteSender(accountId: string, id: string): Promise<void> {
    if (!isId(id) || !(await this.repo.deleteSender(accountId, id))) throw AppError.notFound('sender entry not found');
    this.changed(accountId, undefined);
  }

  private changed<T>(accountId: string, value: T): T {
    this.delivery.forget(accountId);
    return value;
  }

  /** A move names an existing folder (a clear 400 now, rather than mail silently left in INBOX). */
  private async checkFolders(accountId: string, rules: Pick<Rule, 'actions'>[]): Promise<void> {
    const wanted = rules.flatMap((r) => r.actions.flatMap((a) => (a.kind === 'move' ? [a.folder] : [])));
    if (wanted.length === 0) return;
    const names = new Set((await this.store.listMailboxes(accountId)).map((m) => m.name.toLowerCase()));
    const missing = wanted.find((f) => !names.has(f.toLowerCase()));
    if (missing !== undefined) throw AppError.invalid(`no folder named "${missing}"`);
  }
}
