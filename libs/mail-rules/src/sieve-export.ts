import type { Action, Condition, Rule, VacationSettings } from './rule-types';

/**
 * The filters (and the vacation responder, when on) as a Sieve script (RFC 5228) using only the
 * extensions importSieve reads back: importSieve(exportSieve(r)).rules equals r. Each filter is
 * preceded by a "# rule: Name" comment (names are not Sieve); a disabled filter is written as
 * allof(false, …), which every Sieve engine skips.
 */
export function exportSieve(rules: readonly Rule[], vacation?: VacationSettings | null): string {
  const ext = new Set<string>();
  const body: string[] = [];
  for (const r of rules) {
    body.push(`# rule: ${r.name.replace(/[\r\n]+/g, ' ')}`);
    let test = exportTest(r, ext);
    if (!r.enabled) test = `allof (false, ${test})`;
    body.push(`if ${test} {`);
    for (const a of r.actions) body.push(`  ${exportAction(a, ext)};`);
    body.push('}');
  }
  if (vacation?.enabled) {
    ext.add('vacation');
    if (vacation.startsAt || vacation.endsAt)
      body.push(
        `# Correio also limits the responder to ${vacation.startsAt?.toISOString() ?? '…'} – ${vacation.endsAt?.toISOString() ?? '…'}`,
      );
    const subject = vacation.subject ? ` :subject ${quote(vacation.subject)}` : '';
    body.push(`vacation :days ${vacation.days}${subject} ${quote(vacation.message)};`);
  }
  const order = ['fileinto', 'imap4flags', 'copy', 'mime', 'vacation'].filter((e) => ext.has(e));
  const head = order.length ? [`require [${order.map(quote).join(', ')}];`] : [];
  return `${[...head, ...body].join('\r\n')}\r\n`;
}

function exportTest(r: Rule, ext: Set<string>): string {
  if (r.conditions.length === 0) return 'true';
  const tests = r.conditions.map((c) => exportCondition(c, ext));
  // One condition needs no allof/anyof, but "any" with one condition must stay "any" for the round trip.
  if (tests.length === 1 && r.match === 'all') return tests[0]!;
  return `${r.match === 'all' ? 'allof' : 'anyof'} (${tests.join(', ')})`;
}

function exportCondition(c: Condition, ext: Set<string>): string {
  switch (c.field) {
    case 'from':
      return `address :${c.op} "from" ${quote(c.value)}`;
    case 'toCc':
      return `address :${c.op} ["to", "cc"] ${quote(c.value)}`;
    case 'subject':
      return `header :${c.op} "subject" ${quote(c.value)}`;
    case 'header':
      return `header :${c.op} ${quote(c.name)} ${quote(c.value)}`;
    case 'size':
      return `size :${c.op} ${c.value}`;
    case 'hasAttachment':
      ext.add('mime');
      return 'header :mime :anychild :contains "Content-Disposition" "attachment"';
  }
}

function exportAction(a: Action, ext: Set<string>): string {
  switch (a.kind) {
    case 'move':
      ext.add('fileinto');
      return `fileinto ${quote(a.folder)}`;
    case 'label':
      ext.add('imap4flags');
      return `addflag ${quote(a.label)}`;
    case 'markRead':
      ext.add('imap4flags');
      return 'addflag "\\\\Seen"';
    case 'star':
      ext.add('imap4flags');
      return 'addflag "\\\\Flagged"';
    case 'forward':
      ext.add('copy');
      return `redirect :copy ${quote(a.address)}`;
    case 'delete':
      return 'discard';
    case 'stop':
      return 'stop';
  }
}

/** A Sieve quoted string (RFC 5228 §2.4.2): only \ and " need escaping. */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
