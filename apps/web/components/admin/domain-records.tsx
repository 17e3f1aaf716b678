'use client';

/**
 * One domain's DNS: the records to publish (each with a copy button), the live check of what DNS
 * answers now (published / missing / different, with the fix), the catch-all and DKIM rotation.
 */
import type { DnsCheckResult, DnsRecordView, DomainSummary } from '@correio/contracts';
import { useCallback, useEffect, useId, useState } from 'react';
import styles from './admin.module.css';
import { adminApi } from './admin-api';
import { useAdmin } from './admin-shell';
import { CopyButton } from './copy-button';

const STATUS_TEXT = { published: 'Published', missing: 'Missing', different: 'Different' };

export function DomainRecords({ domain, onChanged }: { domain: DomainSummary; onChanged(): void }) {
  const { notify, reportError } = useAdmin();
  const [records, setRecords] = useState<DnsRecordView[] | null>(null);
  const [check, setCheck] = useState<Map<string, DnsCheckResult> | null>(null);
  const [checking, setChecking] = useState(false);
  const [catchAll, setCatchAll] = useState(domain.catchAll ?? '');
  const catchId = useId();

  const load = useCallback(async () => {
    try {
      setRecords((await adminApi.dnsRecords(domain.name)).records);
    } catch (err) {
      reportError(err);
    }
  }, [domain.name, reportError]);
  useEffect(() => {
    setCheck(null);
    void load();
  }, [load]);

  const runCheck = async () => {
    setChecking(true);
    try {
      const result = await adminApi.dnsCheck(domain.name);
      setCheck(new Map(result.records.map((r) => [key(r), r])));
      const missing = result.records.filter((r) => r.status !== 'published' && !r.optional).length;
      notify(missing === 0 ? `DNS for ${domain.name}: every needed record is published` : `DNS for ${domain.name}: ${missing} needed record(s) to fix`);
    } catch (err) {
      reportError(err);
    } finally {
      setChecking(false);
    }
  };

  const saveCatchAll = async (address: string | null) => {
    try {
      await adminApi.setCatchAll(domain.name, address);
      notify(address ? `Catch-all for ${domain.name}: ${address}` : `Catch-all for ${domain.name} removed`);
      onChanged();
    } catch (err) {
      reportError(err);
    }
  };

  const dkim = async (step: 'rotate' | 'retire') => {
    try {
      const res = step === 'rotate' ? await adminApi.rotateDkim(domain.name) : await adminApi.retireDkim(domain.name);
      setRecords(res.records);
      setCheck(null);
      notify(
        step === 'rotate'
          ? 'New DKIM keys made: publish their records; mail is signed with them once they are published and the old ones retired.'
          : 'Old DKIM keys retired: their records may be removed from DNS.',
      );
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <section className={styles.card} aria-labelledby={`${catchId}-h`}>
      <h2 id={`${catchId}-h`}>DNS records for {domain.name}</h2>
      <p className="muted">Publish these at your DNS provider. Optional records improve security or client set-up but mail works without them.</p>
      <div className={styles.actions}>
        <button type="button" className="btn btn-primary" onClick={() => void runCheck()} disabled={checking}>
          {checking ? 'Checking…' : 'Check DNS now'}
        </button>
        <button type="button" className="btn" onClick={() => void dkim('rotate')}>
          Rotate DKIM keys
        </button>
        <button type="button" className="btn" onClick={() => void dkim('retire')}>
          Retire old DKIM keys
        </button>
      </div>
      {records === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className={styles.table} aria-label={`DNS records for ${domain.name}`}>
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">Copy</th>
              {check && <th scope="col">Live check</th>}
            </tr>
          </thead>
          <tbody>
            {records.map((r) => {
              const c = check?.get(key(r));
              return (
                <tr key={key(r)} data-testid="dns-record" data-type={r.type} data-name={r.name}>
                  <td>
                    {r.purpose}
                    {r.optional && <span className="muted"> (optional)</span>}
                  </td>
                  <td className={styles.mono}>{r.name}</td>
                  <td>{r.type}</td>
                  <td className={styles.mono}>{r.value}</td>
                  <td>
                    <CopyButton text={r.zone} what={`${r.type} record for ${r.name}`} />
                  </td>
                  {check && (
                    <td data-testid="dns-status">
                      {c ? <span className={styles[c.status]}>{STATUS_TEXT[c.status]}</span> : '—'}
                      {c?.fix && <div>{c.fix}</div>}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form
        className={styles.form}
        style={{ marginTop: 16 }}
        onSubmit={(e) => {
          e.preventDefault();
          void saveCatchAll(catchAll.trim() || null);
        }}
      >
        <label className={styles.field} htmlFor={catchId}>
          Catch-all: where mail to unknown addresses at {domain.name} goes (empty: refused)
          <input id={catchId} className={styles.input} type="email" value={catchAll} onChange={(e) => setCatchAll(e.target.value)} />
        </label>
        <button type="submit" className="btn">
          Save catch-all
        </button>
      </form>
    </section>
  );
}

const key = (r: { type: string; name: string; value: string }) => `${r.type} ${r.name} ${r.value}`;
