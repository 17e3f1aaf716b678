import { describe, expect, it } from 'vitest';
import { explainReply } from './delivery-explanation.js';

describe('explainReply', () => {
  it.each([
    ['bounced', '550 5.1.1 <x@ifsc.edu>: Recipient address rejected: User unknown', "The recipient's server says this address does not exist."],
    ['bounced', '552 5.2.2 Mailbox full', "The recipient's mailbox is full."],
    ['deferred', '452 4.2.2 Over quota', "The recipient's mailbox is full. Correio will keep trying."],
    ['bounced', '554 5.7.1 Message rejected as spam', "The recipient's server refused the message by policy (spam filtering or sender authentication)."],
    ['bounced', 'example.org does not accept mail (null MX, RFC 7505)', "The recipient's domain does not exist or does not accept mail."],
    ['deferred', 'connection to 10.0.0.1:25 failed: connect ECONNREFUSED', "Correio could not reach the recipient's server. Correio will keep trying."],
    ['deferred', '421 4.3.2 Service shutting down', "The recipient's server is not accepting the message right now. Correio will keep trying."],
    ['bounced', '554 Transaction failed', "The recipient's server refused the message."],
  ] as const)('%s %s', (state, reply, explanation) => {
    expect(explainReply(state, reply)).toBe(explanation);
  });
});
