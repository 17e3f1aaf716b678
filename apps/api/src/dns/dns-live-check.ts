import type { DnsCheckResult, DnsRecordView } from '@correio/contracts';
import type { DnsResolver } from './dns-resolver.js';

/**
 * The live check of a domain's records (issue 14): what DNS answers now, through the project's one
 * resolver (so tests run on fixed records), compared with what should be published. Each record is
 * published (the answer holds the value), missing (nothing of that kind at the name) or different
 * (something of that kind, another value), with the fix in plain words.
 */
export async function checkDnsRecords(resolver: DnsResolver, records: DnsRecordView[]): Promise<DnsCheckResult[]> {
  return Promise.all(records.map((r) => checkOne(resolver, r)));
}

async function checkOne(resolver: DnsResolver, r: DnsRecordView): Promise<DnsCheckResult> {
  let found: string[];
  try {
    found = (await resolver.resolve(r.name, r.type)).map((a) => render(r.type, a));
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ETIMEOUT' ? 'DNS did not answer in time' : `DNS has no ${r.type} record at ${r.name}`;
    return { ...r, status: 'missing', found: [], fix: `${why}: add ${r.zone}` };
  }
  const want = normalize(r.type, r.value);
  const kind = kindOf(r);
  const same = found.filter((f) => kind(f));
  if (same.some((f) => normalize(r.type, f) === want)) return { ...r, status: 'published', found, fix: '' };
  if (same.length === 0) return { ...r, status: 'missing', found, fix: `No matching ${r.type} record at ${r.name}: add ${r.zone}` };
  return {
    ...r,
    status: 'different',
    found,
    fix: `${r.name} has ${r.type} ${same.map((f) => `"${f}"`).join(', ')}; change it to ${r.zone}`,
  };
}

/** node's answer shapes (MX objects, TXT string chunks, SRV objects) as the zone value text. */
function render(type: string, answer: unknown): string {
  if (type === 'TXT') return (answer as string[]).join('');
  if (type === 'MX') {
    const mx = answer as { exchange: string; priority: number };
    return `${mx.priority} ${mx.exchange}`;
  }
  if (type === 'SRV') {
    const s = answer as { name: string; port: number; priority: number; weight: number };
    return `${s.priority} ${s.weight} ${s.port} ${s.name}`;
  }
  return String(answer);
}

/**
 * What counts as "the same record" for the comparison: MX by exchange host (priority is the
 * admin's choice), SRV by target and port, TXT by its text with spacing around ';' ignored.
 */
function normalize(type: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (type === 'MX') return host(v.split(/\s+/).pop() ?? '');
  if (type === 'SRV') {
    const [, , port, target] = v.split(/\s+/);
    return `${port} ${host(target ?? '')}`;
  }
  return v.replace(/\s*;\s*/g, ';').replace(/;$/, '');
}

const host = (h: string) => h.replace(/\.$/, '');

/** Answers of the same kind as the expected record (another SPF, another DKIM key …) make it "different". */
function kindOf(r: DnsRecordView): (found: string) => boolean {
  if (r.type !== 'TXT') return () => true;
  const tag = /^v=([a-z0-9]+)/i.exec(r.value)?.[1]?.toLowerCase();
  return (f) => (tag ? f.trim().toLowerCase().startsWith(`v=${tag}`) : true);
}
