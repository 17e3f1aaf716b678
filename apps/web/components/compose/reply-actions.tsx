'use client';

import type { MessageDetail } from '@/lib/api';
import type { ReplyKind } from '@/lib/reply';
import { useShortcuts } from '@/lib/use-shortcuts';
import { ForwardIcon, ReplyAllIcon, ReplyIcon } from '../icons';
import { useCompose } from './compose-context';

const ACTIONS: { kind: ReplyKind; name: string; key: string; Icon: typeof ReplyIcon }[] = [
  { kind: 'reply', name: 'Reply', key: 'r', Icon: ReplyIcon },
  { kind: 'replyAll', name: 'Reply all', key: 'a', Icon: ReplyAllIcon },
  { kind: 'forward', name: 'Forward', key: 'f', Icon: ForwardIcon },
];

/**
 * Reply, Reply all, Forward for the open message (keys r, a, f). In a conversation only the newest
 * message's buttons take the keys (hasShortcuts), as in Gmail.
 */
export function ReplyActions({ detail, hasShortcuts = true }: { detail: MessageDetail; hasShortcuts?: boolean }) {
  const { openReply } = useCompose();
  useShortcuts(
    hasShortcuts
      ? {
          r: () => openReply('reply', detail),
          a: () => openReply('replyAll', detail),
          f: () => openReply('forward', detail),
        }
      : {},
  );
  return (
    <div className="reply-actions">
      {ACTIONS.map(({ kind, name, key, Icon }) => (
        <button
          key={kind}
          type="button"
          className="icon-btn"
          aria-label={name}
          aria-keyshortcuts={key}
          title={`${name} (${key})`}
          onClick={() => openReply(kind, detail)}
          data-testid={`action-${kind}`}
        >
          <Icon />
        </button>
      ))}
    </div>
  );
}
