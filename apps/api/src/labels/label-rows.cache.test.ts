import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MailEventsService } from '../events/mail-events.service.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import { LabelRowsCache } from './label-rows.cache.js';
import type { LabelRow } from './repositories/label.repository.js';

// The list pages' label rows come from memory; what must drop them: a label write here, a flag
// change of the account heard on the change bus (another process's rename/delete rewrites the
// keyword on the label's messages), a bus resync, a failed read.

function bus() {
  const e = new EventEmitter();
  const events = {
    subscribe: (l: (c: MailboxChange) => void) => (e.on('change', l), () => e.off('change', l)),
    onResync: (l: () => void) => (e.on('resync', l), () => e.off('resync', l)),
  } as unknown as MailEventsService;
  return { events, emit: (c: Partial<MailboxChange>) => e.emit('change', c), resync: () => e.emit('resync') };
}
const row = (keyword: string): LabelRow => ({ id: '1', name: keyword, colour: null, keyword }) as LabelRow;

describe('LabelRowsCache', () => {
  it('answers from memory until a label write, a flag change of the account or a resync', async () => {
    const b = bus();
    const cache = new LabelRowsCache(b.events);
    let reads = 0;
    const load = async () => [row(`k${++reads}`)];
    expect(await cache.get('7', load)).toEqual([row('k1')]);
    expect(await cache.get('7', load)).toEqual([row('k1')]);
    expect(reads).toBe(1);

    cache.drop('7');
    expect(await cache.get('7', load)).toEqual([row('k2')]);

    b.emit({ accountId: '8', kind: 'flags' }); // another account: kept
    b.emit({ accountId: '7', kind: 'exists' }); // new mail does not change the labels: kept
    expect(await cache.get('7', load)).toEqual([row('k2')]);
    b.emit({ accountId: '7', kind: 'flags' });
    expect(await cache.get('7', load)).toEqual([row('k3')]);

    b.resync();
    expect(await cache.get('7', load)).toEqual([row('k4')]);
    cache.onModuleDestroy();
  });

  it('does not keep a failed read', async () => {
    const cache = new LabelRowsCache(bus().events);
    await expect(cache.get('7', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('7', async () => [row('ok')])).toEqual([row('ok')]);
  });
});
