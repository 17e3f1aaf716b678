import { matchValue } from './match';
import type { Condition, MessageFacts, Placement, Rule } from './rule-types';

/**
 * Runs the enabled filters in order against a message (RFC 5228 semantics for what Correio's
 * actions mean): every matching filter's actions apply; a later move wins over an earlier one
 * (Correio stores one copy, not one per fileinto); "stop" ends evaluation.
 */
export function evaluateRules(rules: readonly Rule[], msg: MessageFacts): Placement {
  const out: Placement = { deleted: false, seen: false, flagged: false, labels: [], forwards: [] };
  for (const rule of rules) {
    if (!rule.enabled || !ruleMatches(rule, msg)) continue;
    let stop = false;
    for (const a of rule.actions) {
      switch (a.kind) {
        case 'move':
          out.folder = a.folder;
          break;
        case 'label':
          if (!out.labels.includes(a.label)) out.labels.push(a.label);
          break;
        case 'markRead':
          out.seen = true;
          break;
        case 'star':
          out.flagged = true;
          break;
        case 'forward':
          if (!out.forwards.includes(a.address.toLowerCase())) out.forwards.push(a.address.toLowerCase());
          break;
        case 'delete':
          out.deleted = true;
          break;
        case 'stop':
          stop = true;
          break;
      }
    }
    if (stop) break;
  }
  return out;
}

export function ruleMatches(rule: Rule, msg: MessageFacts): boolean {
  // RFC 5228 §5.2/§5.3: allof() is true and anyof() false with no tests; a form without conditions matches all.
  if (rule.conditions.length === 0) return true;
  return rule.match === 'all'
    ? rule.conditions.every((c) => conditionMatches(c, msg))
    : rule.conditions.some((c) => conditionMatches(c, msg));
}

export function conditionMatches(c: Condition, msg: MessageFacts): boolean {
  switch (c.field) {
    case 'from':
      return matchValue(c.op, msg.from, c.value);
    case 'toCc':
      return msg.toCc.some((a) => matchValue(c.op, a, c.value));
    case 'subject':
      return matchValue(c.op, msg.subject, c.value);
    case 'header':
      return (msg.headers.get(c.name.toLowerCase()) ?? []).some((v) => matchValue(c.op, v, c.value));
    case 'size':
      // RFC 5228 §5.9: :over is strictly greater, :under strictly less.
      return c.op === 'over' ? msg.size > c.value : msg.size < c.value;
    case 'hasAttachment':
      return msg.hasAttachment;
  }
}

/** Whether any enabled rule looks at header fields beyond the summary (then the headers must be parsed). */
export function needsHeaders(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.enabled && r.conditions.some((c) => c.field === 'header'));
}
