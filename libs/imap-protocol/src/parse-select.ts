import type { ImapCommand, ParseContext, SequenceSet } from './command-types';
import { readMailbox, readSequenceSet } from './parse-common';
import type { Reader } from './parse-reader';

/**
 * SELECT / EXAMINE mailbox [SP "(" select-param *(SP select-param) ")"] with CONDSTORE
 * (RFC 7162 §3.1.8) and QRESYNC (uidvalidity modseq [known-uids] [(seqs uids)]) (RFC 7162 §3.2.5).
 */
export function parseSelect(r: Reader, ctx: ParseContext, name: 'SELECT' | 'EXAMINE'): ImapCommand {
  r.sp();
  const mailbox = readMailbox(r, ctx);
  let condstore = false;
  const found: { qresync?: Qresync } = {};
  if (r.peek() === ' ') {
    r.sp();
    r.list(() => {
      const param = r.atom('select parameter').toUpperCase();
      if (param === 'CONDSTORE') condstore = true;
      else if (param === 'QRESYNC') {
        r.sp();
        found.qresync = readQresync(r);
      } else r.fail(`Unknown SELECT parameter ${param}`);
    });
  }
  r.end();
  return { name, mailbox, condstore, ...found };
}

type Qresync = NonNullable<Extract<ImapCommand, { name: 'SELECT' | 'EXAMINE' }>['qresync']>;

function readQresync(r: Reader): Qresync {
  r.expect('(', 'Expected "(" after QRESYNC');
  const uidValidity = r.nzNumber('UIDVALIDITY');
  r.sp();
  const modseq = r.modseq(false);
  let knownUids: SequenceSet | undefined;
  let seqMatch: { seqs: SequenceSet; uids: SequenceSet } | undefined;
  if (r.accept(' ')) {
    if (r.peek() !== '(') {
      knownUids = readKnownSet(r);
      if (r.accept(' ')) seqMatch = readSeqMatch(r);
    } else seqMatch = readSeqMatch(r);
  }
  r.expect(')', 'Expected ")" after QRESYNC parameters');
  return { uidValidity, modseq, ...(knownUids ? { knownUids } : {}), ...(seqMatch ? { seqMatch } : {}) };
}

/** RFC 7162 §3.2.5: known-uids and the seq-match sets are sequence-sets without "*" or "$". */
function readKnownSet(r: Reader): SequenceSet {
  const set = readSequenceSet(r, false);
  if (set.kind === 'ranges' && set.ranges.some((x) => x.start === '*' || x.end === '*')) r.fail('"*" is not allowed in QRESYNC sets');
  return set;
}

function readSeqMatch(r: Reader): { seqs: SequenceSet; uids: SequenceSet } {
  r.expect('(', 'Invalid QRESYNC sequence match data');
  const seqs = readKnownSet(r);
  r.sp();
  const uids = readKnownSet(r);
  r.expect(')', 'Invalid QRESYNC sequence match data');
  return { seqs, uids };
}
