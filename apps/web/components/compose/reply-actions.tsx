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

/** Reply, Reply all, Forward for the open message (keys r, a, f). */
export function ReplyActions({ detail }: { detail: MessageDetail }) {
  const { openReply } = useCompose();
  useShortcuts({
    r: () => openReply('reply', detail),
    a: () => openReply('replyAll', detail),
    f: () => openReply('forward', detail),
  });
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
