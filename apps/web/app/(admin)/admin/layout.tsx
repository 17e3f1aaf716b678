import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AdminShell } from '@/components/admin/admin-shell';
import { apiOrigin } from '@/lib/config';

export const dynamic = 'force-dynamic';

/**
 * /admin/*: only for admin accounts. Asked of the public API (GET /auth/me with the visitor's own
 * cookie) on the server, so anyone else gets the real not-found page (HTTP 404) and never sees that
 * the pages exist; the admin API refuses them with 403 on its own as well.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const cookie = (await cookies()).toString();
  let res: Response;
  try {
    res = await fetch(`${apiOrigin()}/api/v1/auth/me`, { headers: { cookie, accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new Error('The API cannot be reached.');
  }
  if (res.status === 401) redirect('/login?next=%2Fadmin');
  if (!res.ok) notFound();
  const me = (await res.json()) as { account?: { role?: string } };
  if (me.account?.role !== 'admin') notFound();
  return <AdminShell>{children}</AdminShell>;
}
