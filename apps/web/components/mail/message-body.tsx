'use client';

import { Fragment, type ReactNode, useMemo } from 'react';
import type { MessageDetail } from '@/lib/api';
import { buildFrameDocument, FRAME_SANDBOX } from '@/lib/message-frame';

/**
 * The message body. HTML goes only into a sandboxed, CSP-locked iframe (see lib/message-frame.ts).
 *
 * Sizing: a sandbox without allow-same-origin makes the frame cross-origin to us and it may not run
 * scripts, so neither side can measure the content height. Instead the frame fills the rest of the
 * reading pane (flex: 1) and scrolls inside itself, like Outlook's reading pane; the header with
 * sender, actions and attachments stays in view above it.
 *
 * Inline (cid:) images arrive from the API already turned into data: URLs, so the frame never needs
 * to request anything from us (it couldn't authenticate anyway: opaque origin, no cookies).
 */
export function MessageBody({ detail, allowRemoteImages }: { detail: MessageDetail; allowRemoteImages: boolean }) {
  if (detail.html === null) return <TextBody text={detail.text} />;
  return <HtmlBody html={detail.html} allowRemoteImages={allowRemoteImages} />;
}

function HtmlBody({ html, allowRemoteImages }: { html: string; allowRemoteImages: boolean }) {
  const srcDoc = useMemo(() => buildFrameDocument(html, { allowRemoteImages }), [html, allowRemoteImages]);
  return (
    <div className="message-body">
      <iframe
        className="message-frame"
        title="Message body"
        sandbox={FRAME_SANDBOX}
        srcDoc={srcDoc}
        referrerPolicy="no-referrer"
        data-testid="message-frame"
      />
    </div>
  );
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/g;

/** Plain text with quoted lines dimmed and http(s) links clickable (React escapes everything else). */
function TextBody({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return (
    <div className="message-body">
      <div className="text-body" data-testid="message-text">
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond position
          <Fragment key={i}>
            {/^\s*>/.test(line) ? <span className="quote">{linkify(line)}</span> : linkify(line)}
            {i < lines.length - 1 && '\n'}
          </Fragment>
        ))}
      </div>
    </div>
  );
}

function linkify(line: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of line.matchAll(URL_RE)) {
    const start = m.index ?? 0;
    if (start > last) out.push(line.slice(last, start));
    out.push(
      <a key={start} href={m[0]} target="_blank" rel="noopener noreferrer nofollow">
        {m[0]}
      </a>,
    );
    last = start + m[0].length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}
