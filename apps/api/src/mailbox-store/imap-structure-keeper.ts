import { Injectable } from '@nestjs/common';
import { type BodyForms, type Envelope, type MessageStructure, bodyForms, computeMessageStructure, envelopeForms } from '@correio/imap-protocol';
import { ImapFormsRepository } from './repositories/imap-forms.repository.js';
import { ImapBlobsRepository } from './repositories/imap-blobs.repository.js';

/** Bytes of messages parsed in one batch (a larger message alone). */
const PARSE_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * BODYSTRUCTURE computed once per message and kept (issue 11): parses the messages FETCH needs a
 * structure for and has none (or an older shape), and fills in the response text the fast path
 * (fetchLines) serves — ENVELOPE on the message rows, BODY/BODYSTRUCTURE beside the structure.
 */
@Injectable()
export class ImapStructureKeeper {
  constructor(
    private readonly blobs: ImapBlobsRepository,
    private readonly forms: ImapFormsRepository,
  ) {}

  /** Structures of blobs, read in batches of at most PARSE_BATCH_BYTES and kept. */
  async compute(accountId: string, blobIds: string[]): Promise<Map<string, MessageStructure>> {
    const out = new Map<string, MessageStructure>();
    for (const batch of batchBySize(await this.blobs.blobSizes(accountId, blobIds), PARSE_BATCH_BYTES)) {
      const raws = await this.blobs.readMany(accountId, batch);
      const items: { blobId: string; version: number; structure: MessageStructure; forms: BodyForms }[] = [];
      for (const [blobId, raw] of raws) {
        const structure = computeMessageStructure(raw);
        out.set(blobId, structure);
        items.push({ blobId, version: structure.version, structure, forms: bodyForms(structure.body) });
      }
      if (items.length > 0) await this.forms.saveStructures(accountId, items);
    }
    return out;
  }

  /** ENVELOPE text for rows that have none yet (no blob is read: the envelope is known). */
  async keepEnvelopes(accountId: string, envelopes: Map<string, Envelope>): Promise<void> {
    if (envelopes.size === 0) return;
    await this.forms.saveEnvelopeForms(
      accountId,
      [...envelopes].map(([blobId, envelope]) => ({ blobId, forms: envelopeForms(envelope) })),
    );
  }

  /** BODY/BODYSTRUCTURE text beside structures kept before those columns existed. */
  async fillBodyForms(accountId: string, blobIds: string[]): Promise<void> {
    if (blobIds.length === 0) return;
    const kept = await this.forms.structuresWithoutBodyForms(accountId, blobIds);
    const items = kept.map((k) => ({ blobId: k.blobId, version: k.version, forms: bodyForms((k.structure as MessageStructure).body) }));
    if (items.length > 0) await this.forms.saveBodyForms(accountId, items);
  }
}

/** Ids grouped so that each group's sizes add up to at most `maxBytes` (a larger one alone). */
function batchBySize(items: { id: string; size: number }[], maxBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const { id, size } of items) {
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(id);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
