import { createHash } from 'node:crypto';
import type { DnsRecordView } from '@correio/contracts';
import { clientSettings } from '../../autoconfig/client-settings.js';
import type { AppConfig } from '../../config/config.schema.js';
import { type DnsRecord, txtRecord } from '../../directory/dkim-keys.js';

/**
 * Everything a domain should publish: the directory's needed records (MX, SPF, DMARC, DKIM for
 * every published key) and the optional ones — MTA-STS and TLS-RPT, and the SRV records mail
 * clients use to find the servers (RFC 6186), implicit TLS preferred by priority (RFC 8314 §5.1).
 */
export function dnsPlan(domain: string, needed: DnsRecord[], config: AppConfig): DnsRecordView[] {
  const host = config.hostname;
  const optional = (r: DnsRecord): DnsRecordView => ({ ...r, optional: true });
  // The policy id changes when the policy does (it names the MX host), not on every request.
  const stsId = createHash('sha256').update(`mx:${host}`).digest('hex').slice(0, 16);
  return [
    ...needed.map((r) => ({ ...r, optional: false })),
    optional(
      txtRecord(
        `_mta-sts.${domain}`,
        `v=STSv1; id=${stsId}`,
        `MTA-STS (RFC 8461): senders must use TLS; also serve the policy at https://mta-sts.${domain}/.well-known/mta-sts.txt`,
      ),
    ),
    optional(txtRecord(`_smtp._tls.${domain}`, `v=TLSRPTv1; rua=mailto:postmaster@${domain}`, 'TLS-RPT (RFC 8460): reports of TLS failures')),
    ...srvRecords(domain, config).map(optional),
  ];
}

const SRV_NAMES = {
  'imap:SSL': ['_imaps', 'IMAP over TLS'],
  'imap:STARTTLS': ['_imap', 'IMAP with STARTTLS'],
  'pop3:SSL': ['_pop3s', 'POP3 over TLS'],
  'pop3:STARTTLS': ['_pop3', 'POP3 with STARTTLS'],
  'smtp:SSL': ['_submissions', 'submission over TLS'],
  'smtp:STARTTLS': ['_submission', 'submission with STARTTLS'],
} as const;

export function srvRecords(domain: string, config: AppConfig): DnsRecord[] {
  const { host, servers } = clientSettings(config);
  return servers.map((s) => {
    const [label, what] = SRV_NAMES[`${s.protocol}:${s.socketType}`];
    const name = `${label}._tcp.${domain}`;
    // Priority 0 for implicit TLS, 10 for STARTTLS: RFC 8314 §5.1 asks clients be steered to TLS.
    const value = `${s.socketType === 'SSL' ? 0 : 10} 1 ${s.port} ${host}.`;
    return { name, type: 'SRV', value, zone: `${name}. IN SRV ${value}`, purpose: `client discovery (RFC 6186): ${what}` };
  });
}
