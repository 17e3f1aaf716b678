import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = { title: 'Mail' };

export default function MailLayout({ children }: { children: ReactNode }) {
  return children;
}
