import { Injectable } from '@nestjs/common';
import type { ContactSuggestions } from '@correio/contracts';
import { type ContactRow, ContactRepository } from './repositories/contact.repository.js';

/** Up to this many words of a query take part in the name match. */
const MAX_WORDS = 5;

/** `'maria':* & 'sil':*` from "Maria Sil": every typed word is a prefix of a word of the name. */
export function nameQuery(q: string): string {
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, MAX_WORDS);
  return words.map((w) => `'${w}':*`).join(' & ');
}

/** A LIKE pattern matching addresses that start with q (its %, _ and \ taken literally). */
export function addressPrefixPattern(q: string): string {
  return `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Address suggestions for the compose window (people the account wrote to and received from). */
@Injectable()
export class ContactsService {
  constructor(private readonly repo: ContactRepository) {}

  async suggest(accountId: string, q: string, limit: number): Promise<ContactSuggestions> {
    const rows = q.trim() === '' ? await this.repo.top(accountId, limit) : await this.repo.suggest(accountId, addressPrefixPattern(q.trim()), nameQuery(q), limit);
    return { items: rows.map(toSuggestion) };
  }
}

function toSuggestion(r: ContactRow): ContactSuggestions['items'][number] {
  return { name: r.name, address: r.address, sent: r.sent, received: r.received, lastAt: r.lastAt.toISOString() };
}
