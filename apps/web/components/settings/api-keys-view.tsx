'use client';

/**
 * /settings/api-keys: keys for programs (issue 13). Create (name, scopes, optional expiry; the
 * secret shown once with a copy button), list with last use, revoke after a confirmation. Only a
 * logged-in session manages keys; the API refuses key management with a key.
 */
import { useState } from 'react';
import { api, type ApiKeyView, type CreatedApiKey } from '@/lib/api';
import { useLoadedList } from '../common/use-loaded-list';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';
import { ApiKeyCreateForm } from './api-key-create-form';
import { ApiKeyTable } from './api-key-table';
import styles from './api-keys.module.css';
import { NewApiKeyNotice } from './new-api-key-notice';

export function ApiKeysView() {
  const { session, reportError } = useMail();
  const { notify } = useCompose();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const { items: keys, reload } = useLoadedList(async (signal) => (await api.listApiKeys(signal)).keys, reportError);

  const onCreated = (key: CreatedApiKey) => {
    setCreated(key);
    void reload();
  };

  const revoke = async (key: ApiKeyView) => {
    try {
      await api.revokeApiKey(key.id);
      notify({ text: `API key “${key.name}” revoked` });
      if (created?.id === key.id) setCreated(null);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <>
      <h2 className="settings-page-title">API keys</h2>
      <p className={styles.intro}>
        Programs (a CRM, a helpdesk, a script) use your mail with a key: send it as <code>Authorization: Bearer …</code>. A key can do only
        what its scopes allow, and stops working at once when you revoke it. The API is described at <a href="/api/docs">/api/docs</a>.
      </p>
      {created && <NewApiKeyNotice created={created} onDone={() => setCreated(null)} />}
      <section className="settings-section" aria-labelledby="api-key-create-h">
        <h2 id="api-key-create-h">Create a key</h2>
        <ApiKeyCreateForm isAdmin={session.account.role === 'admin'} onCreated={onCreated} />
      </section>
      <section className="settings-section" aria-labelledby="api-key-list-h">
        <h2 id="api-key-list-h">Your keys</h2>
        {keys === null && <p className="muted">Loading…</p>}
        {keys?.length === 0 && <p className="muted">No API keys yet.</p>}
        {keys && keys.length > 0 && <ApiKeyTable keys={keys} onRevoke={revoke} />}
      </section>
    </>
  );
}
