import type { ReactNode } from 'react';
import { MailShell } from '@/components/mail/mail-shell';

/** Everything behind the session check (mail, settings) shares one shell, compose window included. */
export default function SignedInLayout({ children }: { children: ReactNode }) {
  return <MailShell>{children}</MailShell>;
}
