import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { MailShell } from '@/components/mail/mail-shell';

export const metadata: Metadata = { title: 'Mail' };

export default function MailLayout({ children }: { children: ReactNode }) {
  return <MailShell>{children}</MailShell>;
}
