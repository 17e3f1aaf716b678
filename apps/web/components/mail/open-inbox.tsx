'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { findInbox } from '@/lib/mailboxes';
import { useMail } from './mail-store';

export function OpenInbox() {
  const { mailboxes, mailboxesError } = useMail();
  const router = useRouter();
  const inbox = mailboxes ? findInbox(mailboxes) : undefined;

  useEffect(() => {
    if (inbox) router.replace(`/mail/${inbox.id}`);
  }, [inbox, router]);

  if (mailboxesError) return <div className="pane-message">{mailboxesError}</div>;
  if (mailboxes && !inbox) return <div className="pane-message">This account has no mailboxes yet.</div>;
  return <div className="pane-message muted">Loading…</div>;
}
