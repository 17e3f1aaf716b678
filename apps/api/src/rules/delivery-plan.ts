import type { DeliveryTarget } from '../mailbox-store/mailbox-store.types.js';

/** A batch of forwarded copies with their own envelope (SRS sender, ARC-sealed bytes). */
export interface ForwardBatch {
  raw: Buffer;
  envelopeFrom: string;
  recipients: { address: string }[];
}

/** A vacation reply waiting for its "once per sender" claim in the delivering transaction. */
export interface PendingVacationReply {
  accountId: string;
  sender: string;
  days: number;
  raw: Buffer;
}

/** What an account's rules make of one delivery; `changed` false means "deliver as asked". */
export interface RulesPlan {
  changed: boolean;
  targets: DeliveryTarget[];
  forwards: ForwardBatch[];
  vacations: PendingVacationReply[];
}
