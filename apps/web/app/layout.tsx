import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { THEME_SCRIPT } from '@/components/theme/theme';
import './globals.css';
import './webmail.css';

export const metadata: Metadata = {
  title: { default: 'Correio', template: '%s · Correio' },
  description: 'Correio webmail',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#0b57d0' },
    { media: '(prefers-color-scheme: dark)', color: '#1b1c1f' },
  ],
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Sets the saved theme before the first paint (no flash of the wrong theme). */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no user data */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
