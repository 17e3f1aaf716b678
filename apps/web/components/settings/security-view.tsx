'use client';

/** /settings/security: password, two-factor login, and the web sessions signed in to the account. */
import { useState } from 'react';
import { PasswordForm } from './password-form';
import { SessionList } from './session-list';
import { TwoFactorSection } from './two-factor-section';

export function SecurityView() {
  // A password change signs out the other sessions: the list reloads after it.
  const [version, setVersion] = useState(0);
  return (
    <>
      <PasswordForm onChanged={() => setVersion((v) => v + 1)} />
      <TwoFactorSection />
      <SessionList version={version} />
    </>
  );
}
