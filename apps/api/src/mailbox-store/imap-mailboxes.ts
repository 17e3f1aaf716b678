import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import type { StatusItem } from '@correio/imap-protocol';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { ImapMessageWrites } from './imap-message-writes.js';
import { normalizeMailboxName, parentNames } from './imap-names.js';
import type { ImapMailbox, ImapMailboxStatus } from './imap-store.types.js';
import type { SpecialUse } from './mailbox-store.types.js';
import { ImapMailboxRepository } from './repositories/imap-mailbox.repository.js';
import { isId } from './store-ids.js';

/** STATUS items the mailbox row keeps a count of, and those that need the messages counted (ImapMailboxRepository.status). */
const KEPT_ITEMS: StatusItem[] = ['MESSAGES', 'UNSEEN'];
const SCAN_ITEMS: StatusItem[] = ['DELETED', 'SIZE'];

/** Accounts whose INBOX a process remembers (~100 bytes each); past it the map starts over. */
const MAX_KNOWN_INBOXES = 100_000;

/**
 * IMAP's mailbox commands (RFC 9051 §6.3): LIST, STATUS, CREATE, DELETE, RENAME, SUBSCRIBE, and the
 * lookup of APPEND's target. Behind ImapStoreService; every write is one transaction and publishes
 * its changes after COMMIT (invariant 6).
 */
@Injectable()
export class ImapMailboxes {
  /** INBOX per account, for APPEND (findAppendTarget). */
  private readonly inboxes = new Map<string, Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'>>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly boxes: ImapMailboxRepository,
    private readonly writes: ImapMessageWrites,
    private readonly events: MailEventsService,
  ) {}

  listMailboxes(accountId: string): Promise<ImapMailbox[]> {
    return this.boxes.list(accountId);
  }

  async statusMailboxes(accountId: string, mailboxIds: string[], items: StatusItem[]): Promise<ImapMailboxStatus[]> {
    const ids = mailboxIds.filter(isId);
    if (ids.length === 0) return [];
    const counts = items.some((i) => SCAN_ITEMS.includes(i)) ? 'scan' : items.some((i) => KEPT_ITEMS.includes(i)) ? 'kept' : 'none';
    return this.boxes.status(accountId, ids, counts);
  }

  findMailbox(accountId: string, name: string): Promise<ImapMailbox | undefined> {
    return this.boxes.find(accountId, normalizeMailboxName(name, false));
  }

  /**
   * APPEND's target. INBOX's id and UIDVALIDITY never change: it cannot be created, deleted or
   * renamed away (RFC 9051 §6.3.4, §6.3.9, §6.3.10: RENAME INBOX moves its messages and leaves it;
   * createMailbox/deleteMailbox/renameMailbox below refuse or do exactly that), and no code changes a
   * mailbox's uid_validity. So after the first lookup an APPEND to INBOX (most of them: clients
   * saving drafts and sent copies name other mailboxes, but imports and the benchmark use INBOX)
   * skips the lookup's round trip. A removed account's entry is harmless: the delivery statement
   * finds no mailbox row and fails as before.
   */
  async findAppendTarget(accountId: string, name: string): Promise<Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'> | undefined> {
    const wanted = normalizeMailboxName(name, false);
    if (wanted !== 'INBOX') return this.boxes.find(accountId, wanted);
    const known = this.inboxes.get(accountId);
    if (known) return known;
    const found = await this.boxes.find(accountId, 'INBOX');
    if (!found) return undefined;
    if (this.inboxes.size >= MAX_KNOWN_INBOXES) this.inboxes.clear();
    const target = { id: found.id, name: found.name, uidValidity: found.uidValidity };
    this.inboxes.set(accountId, target);
    return target;
  }

  /** RFC 9051 §6.3.4: missing superior names are created too; RFC 6154 §3 CREATE-SPECIAL-USE. */
  async createMailbox(accountId: string, name: string, specialUse?: SpecialUse): Promise<ImapMailbox> {
    const wanted = normalizeMailboxName(name, true);
    if (wanted === 'INBOX') throw new AppError(ErrorCode.Conflict, 'INBOX already exists');
    return withTransaction(this.pool, async (tx) => {
      for (const parent of parentNames(wanted)) await this.boxes.create(tx, accountId, parent, null, true);
      const created = await this.boxes.create(tx, accountId, wanted, specialUse ?? null, true);
      if (!created) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
      return created;
    });
  }

  /** RFC 9051 §6.3.9: the mailbox and its messages go; its children stay. INBOX cannot be deleted. */
  async deleteMailbox(accountId: string, name: string): Promise<void> {
    const wanted = normalizeMailboxName(name, false);
    if (wanted === 'INBOX') throw new AppError(ErrorCode.Forbidden, 'INBOX cannot be deleted');
    const box = await this.boxes.find(accountId, wanted);
    if (!box) throw AppError.notFound('no such mailbox');
    // The store files every sent message and draft by special use (outgoing.service, saveDraft): the
    // last mailbox of each stays, as Gmail's and Outlook's system folders do (it can be renamed).
    if (
      (box.specialUse === 'sent' || box.specialUse === 'drafts') &&
      !(await this.boxes.hasOtherWithSpecialUse(accountId, box.specialUse, box.id))
    ) {
      throw new AppError(
        ErrorCode.Forbidden,
        `${box.name} keeps your ${box.specialUse === 'sent' ? 'sent mail' : 'drafts'}; it cannot be deleted`,
      );
    }
    const change = await withTransaction(this.pool, async (tx) => {
      const gone = await this.writes.emptyMailbox(tx, accountId, box.id);
      await this.boxes.delete(tx, accountId, box.id);
      return gone;
    });
    if (change) this.events.publish(change);
  }

  /**
   * RFC 9051 §6.3.10: the mailbox and every child move to the new name, keeping UIDVALIDITY and
   * UIDs. Renaming INBOX moves its messages into a new mailbox of that name and leaves INBOX, empty.
   */
  async renameMailbox(accountId: string, from: string, to: string): Promise<void> {
    const source = normalizeMailboxName(from, false);
    const target = normalizeMailboxName(to, true);
    if (target === 'INBOX' || target === source) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
    if (target.startsWith(`${source}/`) && source !== 'INBOX')
      throw new AppError(ErrorCode.Forbidden, 'a mailbox cannot be moved into itself');
    const changes = await withTransaction(this.pool, async (tx) => {
      if (source === 'INBOX') {
        const inbox = await this.boxes.find(accountId, 'INBOX', tx);
        if (!inbox) throw AppError.notFound('no such mailbox');
        for (const parent of parentNames(target)) await this.boxes.create(tx, accountId, parent, null, true);
        const created = await this.boxes.create(tx, accountId, target, null, true);
        if (!created) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
        return (await this.writes.move(accountId, inbox.id, undefined, created.id, tx)).changes;
      }
      const subtree = await this.boxes.lockSubtree(tx, accountId, source);
      if (!subtree.some((b) => b.name === source)) throw AppError.notFound('no such mailbox');
      const renames = subtree.map((b) => ({ id: b.id, name: target + b.name.slice(source.length) }));
      if (
        await this.boxes.anyExists(
          tx,
          accountId,
          renames.map((r) => r.name),
        )
      ) {
        throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
      }
      for (const parent of parentNames(target)) await this.boxes.create(tx, accountId, parent, null, true);
      await this.boxes.rename(tx, accountId, renames);
      return [];
    });
    for (const c of changes) this.events.publish(c);
  }

  async setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void> {
    if (!(await this.boxes.setSubscribed(accountId, normalizeMailboxName(name, false), subscribed)))
      throw AppError.notFound('no such mailbox');
  }
}
