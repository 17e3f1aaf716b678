/**
 * What the list shows, named by the first path segment after /mail/ so every view shares one route
 * tree (/mail/[view]/…): a folder id ("12"), a label ("label-5"), Starred ("starred") or a search
 * ("search", the query in ?q=).
 */
export type View =
  | { kind: 'mailbox'; mailboxId: string }
  | { kind: 'label'; labelId: string }
  | { kind: 'search'; q: string; name: 'Search' | 'Starred' };

export function parseView(segment: string, q: string | null): View | null {
  const s = decodeURIComponent(segment);
  if (/^[1-9]\d{0,18}$/.test(s)) return { kind: 'mailbox', mailboxId: s };
  const label = /^label-([1-9]\d{0,18})$/.exec(s);
  if (label?.[1]) return { kind: 'label', labelId: label[1] };
  if (s === 'starred') return { kind: 'search', q: 'is:starred', name: 'Starred' };
  if (s === 'search') return { kind: 'search', q: (q ?? '').trim(), name: 'Search' };
  return null;
}

/** A stable key for "the same view" (a new search query is a new view). */
export function viewKey(v: View): string {
  if (v.kind === 'mailbox') return `m:${v.mailboxId}`;
  if (v.kind === 'label') return `l:${v.labelId}`;
  return `q:${v.q}`;
}

/** The path of the view's list (the search query rides along in ?q=). */
export function viewPath(v: View): string {
  if (v.kind === 'mailbox') return `/mail/${v.mailboxId}`;
  if (v.kind === 'label') return `/mail/label-${v.labelId}`;
  if (v.name === 'Starred') return '/mail/starred';
  return `/mail/search?q=${encodeURIComponent(v.q)}`;
}

/** Where a row opens inside the view: a conversation or a single message. */
export function itemPath(v: View, item: { kind: 'conversation' | 'message'; threadId: string; messageId: string }): string {
  const base = viewPath(v);
  const [path, query] = base.split('?');
  const tail = item.kind === 'conversation' ? `/c/${item.threadId}` : `/${item.messageId}`;
  return `${path}${tail}${query ? `?${query}` : ''}`;
}

/** Search syntax for "the whole view" ("Select all N matching"), done server-side in one request. */
export function viewQuery(v: View, mailboxName: string | null, labelName: string | null): string | null {
  if (v.kind === 'search') return v.q || null;
  const quote = (s: string) => (/[\s"]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);
  if (v.kind === 'mailbox') return mailboxName ? `in:${quote(mailboxName)}` : null;
  return labelName ? `label:${quote(labelName)}` : null;
}

/** What the reading pane shows for a path under /mail/<view>: a conversation, a message, or nothing. */
export type OpenItem = { kind: 'conversation'; threadId: string } | { kind: 'message'; messageId: string } | null;

/**
 * The open item of a mail path (`/mail/<view>/c/<threadId>` or `/mail/<view>/<messageId>`). The
 * reading pane is chosen from the URL in the browser rather than by the route's page, so opening a
 * row is a history entry without a round trip to the web server (see lib/open-item.ts).
 */
export function openItemOf(pathname: string): OpenItem {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] !== 'mail') return null;
  const id = /^[1-9]\d{0,18}$/;
  if (parts.length === 4 && parts[2] === 'c' && id.test(parts[3] ?? '')) return { kind: 'conversation', threadId: parts[3] as string };
  if (parts.length === 3 && id.test(parts[2] ?? '')) return { kind: 'message', messageId: parts[2] as string };
  return null;
}
