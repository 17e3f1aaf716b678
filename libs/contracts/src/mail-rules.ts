import { z } from 'zod';

/**
 * Mail rules (issue 15): filters, vacation responder, forwarding, blocked and allowed senders.
 * Routes (cookie session or Bearer key; reads need mail:read, changes mail:write):
 *   GET    /api/v1/filters                 → FilterList (in the order they run)
 *   POST   /api/v1/filters                 FilterRequest → FilterView (201; appended)
 *   PUT    /api/v1/filters/:id             FilterRequest → FilterView
 *   DELETE /api/v1/filters/:id             → 204
 *   PUT    /api/v1/filters/order           FilterOrderRequest → FilterList
 *   GET    /api/v1/filters/sieve           → SieveScript (the filters and the vacation responder)
 *   PUT    /api/v1/filters/sieve           SieveScript → FilterList (replaces the filters; 400 names the line)
 *   GET    /api/v1/vacation                → VacationView
 *   PUT    /api/v1/vacation                VacationRequest → VacationView
 *   GET    /api/v1/forwarding              → ForwardingView
 *   PUT    /api/v1/forwarding              ForwardingRequest → ForwardingView
 *   GET    /api/v1/senders                 → SenderRuleList
 *   POST   /api/v1/senders                 SenderRuleRequest → SenderRuleView (201; replaces the other kind)
 *   DELETE /api/v1/senders/:id             → 204
 */
const Text = z.string().max(1000);
const MatchOp = z.enum(['contains', 'is', 'matches']);

export const FilterCondition = z.discriminatedUnion('field', [
  z.object({ field: z.literal('from'), op: MatchOp, value: Text.min(1) }),
  z.object({ field: z.literal('toCc'), op: MatchOp, value: Text.min(1) }),
  z.object({ field: z.literal('subject'), op: MatchOp, value: Text.min(1) }),
  z.object({
    field: z.literal('header'),
    name: z.string().regex(/^[\x21-\x39\x3b-\x7e]{1,100}$/, 'a header name (RFC 5322 ftext)'),
    op: MatchOp,
    value: Text,
  }),
  z.object({
    field: z.literal('size'),
    op: z.enum(['over', 'under']),
    value: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40),
  }),
  z.object({ field: z.literal('hasAttachment') }),
]);
export type FilterCondition = z.infer<typeof FilterCondition>;

export const FilterAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('move'), folder: z.string().min(1).max(500) }),
  /** The label's IMAP keyword (LabelView.keyword). */
  z.object({ kind: z.literal('label'), label: z.string().regex(/^[^\s(){%*"\\\]]{1,200}$/, 'an IMAP keyword') }),
  z.object({ kind: z.literal('markRead') }),
  z.object({ kind: z.literal('star') }),
  z.object({ kind: z.literal('forward'), address: z.string().email().max(320) }),
  z.object({ kind: z.literal('delete') }),
  z.object({ kind: z.literal('stop') }),
]);
export type FilterAction = z.infer<typeof FilterAction>;

export const FilterRequest = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(FilterCondition).max(50),
  actions: z.array(FilterAction).min(1, 'a filter needs at least one action').max(50),
});
export type FilterRequest = z.infer<typeof FilterRequest>;

export const FilterView = FilterRequest.extend({ id: z.string() });
export type FilterView = z.infer<typeof FilterView>;
export const FilterList = z.object({ items: z.array(FilterView) });
export type FilterList = z.infer<typeof FilterList>;
export const FilterOrderRequest = z.object({ ids: z.array(z.string()).max(500) });
export type FilterOrderRequest = z.infer<typeof FilterOrderRequest>;

export const SieveScript = z.object({ script: z.string().max(64 * 1024) });
export type SieveScript = z.infer<typeof SieveScript>;

export const VacationRequest = z
  .object({
    enabled: z.boolean(),
    subject: z.string().max(500).default(''),
    message: z.string().max(20_000).default(''),
    /** At most one reply per sender in this many days (RFC 5230 :days). */
    days: z.number().int().min(1).max(365).default(7),
    startsAt: z.string().datetime({ offset: true }).nullable().default(null),
    endsAt: z.string().datetime({ offset: true }).nullable().default(null),
  })
  .refine((v) => !v.enabled || v.message.trim().length > 0, { message: 'a vacation reply needs a message', path: ['message'] })
  .refine((v) => !v.startsAt || !v.endsAt || v.startsAt < v.endsAt, { message: 'the end must be after the start', path: ['endsAt'] });
export type VacationRequest = z.infer<typeof VacationRequest>;
export const VacationView = z.object({
  enabled: z.boolean(),
  subject: z.string(),
  message: z.string(),
  days: z.number().int(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
});
export type VacationView = z.infer<typeof VacationView>;

export const ForwardingRequest = z
  .object({
    enabled: z.boolean(),
    addresses: z.array(z.string().email().max(320)).max(10),
    /** Keep a copy in this mailbox too. */
    keepCopy: z.boolean().default(true),
  })
  .refine((v) => !v.enabled || v.addresses.length > 0, { message: 'forwarding needs an address', path: ['addresses'] });
export type ForwardingRequest = z.infer<typeof ForwardingRequest>;
export const ForwardingView = z.object({ enabled: z.boolean(), addresses: z.array(z.string()), keepCopy: z.boolean() });
export type ForwardingView = z.infer<typeof ForwardingView>;

/** An address (someone@example.com) or a whole domain (example.com). */
export const SenderPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(/^([^\s@]+@)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'an address or a domain');
export const SenderRuleRequest = z.object({ kind: z.enum(['block', 'allow']), pattern: SenderPattern });
export type SenderRuleRequest = z.infer<typeof SenderRuleRequest>;
export const SenderRuleView = z.object({ id: z.string(), kind: z.enum(['block', 'allow']), pattern: z.string(), createdAt: z.string() });
export type SenderRuleView = z.infer<typeof SenderRuleView>;
export const SenderRuleList = z.object({ items: z.array(SenderRuleView) });
export type SenderRuleList = z.infer<typeof SenderRuleList>;
