/**
 * Trust signals for the reading pane: the SPF/DKIM/DMARC verdicts of a received message and
 * whether its From domain only *looks like* a well-known one (paypa1.com, rnicrosoft.com,
 * xn--pple-43d.com). The server's own verdict wins when it sends one; these functions are the
 * reading of the message's headers and the look-alike check the UI falls back on.
 */

export type Verdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy' | 'unknown';

export interface AuthVerdicts {
  spf: Verdict;
  dkim: Verdict;
  dmarc: Verdict;
}

const VERDICTS = new Set<Verdict>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/**
 * Reads the first Authentication-Results header (RFC 8601 §2.2: "authserv-id; method=result …").
 * Our own MX prepends its header above any the sender forged (RFC 8601 §5), so the topmost one is
 * the one to believe.
 */
export function parseAuthenticationResults(headers: readonly { name: string; value: string }[]): AuthVerdicts {
  const out: AuthVerdicts = { spf: 'unknown', dkim: 'unknown', dmarc: 'unknown' };
  const header = headers.find((h) => h.name.toLowerCase() === 'authentication-results');
  if (!header) return out;
  // Comments (in parentheses) may contain anything, including "dkim=pass": drop them first.
  const value = header.value.replace(/\([^()]*\)/g, ' ');
  for (const m of value.matchAll(/\b(spf|dkim|dmarc)\s*=\s*([a-z]+)/gi)) {
    const method = (m[1] ?? '').toLowerCase() as keyof AuthVerdicts;
    const result = (m[2] ?? '').toLowerCase() as Verdict;
    // A message can carry several DKIM signatures: one pass is enough (RFC 6376 §6.1).
    if (out[method] === 'unknown' || (method === 'dkim' && result === 'pass')) {
      out[method] = VERDICTS.has(result) ? result : 'unknown';
    }
  }
  return out;
}

/** Domains people trust on sight, the usual targets of look-alikes; the account's own domain is added by the caller. */
export const WELL_KNOWN_DOMAINS: readonly string[] = [
  'google.com',
  'gmail.com',
  'microsoft.com',
  'outlook.com',
  'live.com',
  'apple.com',
  'icloud.com',
  'amazon.com',
  'paypal.com',
  'facebook.com',
  'instagram.com',
  'linkedin.com',
  'github.com',
  'dropbox.com',
  'netflix.com',
  'yahoo.com',
  'docusign.net',
  'mercadolivre.com.br',
  'itau.com.br',
  'bb.com.br',
  'caixa.gov.br',
  'gov.br',
];

/** Letters attackers swap for look-alikes, folded to the letter they imitate. */
const FOLDS: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/[1|]/g, 'l'],
  [/5/g, 's'],
  [/3/g, 'e'],
];

function fold(label: string): string {
  let s = label.toLowerCase();
  for (const [re, to] of FOLDS) s = s.replace(re, to);
  // "l" and "i" look alike in many fonts; compare them as one letter.
  return s.replace(/i/g, 'l');
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * An IDN label's ASCII letters (RFC 3492 §3.1: the basic code points come first, before the last
 * "-"): "xn--pple-43d" (аpple with a Cyrillic а) → "pple", one edit from "apple".
 */
function skeleton(domain: string): string {
  return domain
    .split('.')
    .map((l) => (l.startsWith('xn--') ? l.slice(4, Math.max(4, l.lastIndexOf('-'))) : l))
    .join('.');
}

/**
 * The well-known domain that `domain` imitates, or null. A domain *is* the known one, or a
 * subdomain of it (mail.google.com), is never a look-alike. IDN homographs are compared by their
 * ASCII skeleton.
 */
export function lookalikeOf(domain: string, known: readonly string[] = WELL_KNOWN_DOMAINS): string | null {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!d.includes('.')) return null;
  for (const k of known) if (d === k || d.endsWith(`.${k}`)) return null;
  for (const k of known) {
    // Compare the registrable-looking tail of the same number of labels: "paypa1.com" vs "paypal.com",
    // "secure.paypa1.com" too.
    const labels = d.split('.');
    const tail = labels.slice(-k.split('.').length).join('.');
    if (tail === k) continue;
    const [fa, fb] = [fold(skeleton(tail)), fold(k)];
    if (fa === fb) return k;
    // One edit away on a name long enough not to collide by chance (goog1e.com, amaz0n.com, paypall.com).
    if (fb.length >= 6 && editDistance(fa, fb, 1) <= 1) return k;
  }
  return null;
}

export interface TrustWarning {
  kind: 'dmarc-fail' | 'lookalike';
  text: string;
}

/** What the banner says, most serious first; empty when nothing is wrong. */
export function trustWarnings(fromAddress: string, verdicts: AuthVerdicts, known: readonly string[] = WELL_KNOWN_DOMAINS): TrustWarning[] {
  const out: TrustWarning[] = [];
  const domain = fromAddress.split('@').pop() ?? '';
  if (verdicts.dmarc === 'fail') {
    out.push({
      kind: 'dmarc-fail',
      text: `This message claims to be from ${domain}, but ${domain}'s DMARC check failed. It may not be from who it says.`,
    });
  }
  const imitated = lookalikeOf(domain, known);
  if (imitated) {
    out.push({
      kind: 'lookalike',
      text: `${domain} looks like ${imitated} but is a different domain. Be careful with links and attachments.`,
    });
  }
  return out;
}
