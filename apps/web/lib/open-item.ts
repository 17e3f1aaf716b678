/**
 * Opens a row of the list in the reading pane: a history entry for its URL, and nothing else.
 *
 * Next's router would fetch the route's server payload first (one request to the web server before
 * anything else starts, 60–250 ms under load), although the pane needs nothing from the server
 * that the browser can't ask the API for itself. Next keeps native pushState in step with its
 * router (usePathname follows, Back and Forward work), and the mail view picks the pane from the
 * path (openItemOf in lib/views.ts), so the conversation's requests start with the click.
 */
export function openItem(href: string): void {
  window.history.pushState(null, '', href);
}

/** A plain left click (no modifier: those open a new tab or window, as for any link). */
export function isPlainClick(e: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
}

/** The view part of a mail path: "/mail/<view>" ("" outside /mail). */
function viewOf(pathname: string): string {
  const parts = pathname.split('/').filter(Boolean);
  return parts[0] === 'mail' && parts[1] ? `/mail/${parts[1]}` : '';
}

/**
 * Whether `href` stays in the view on screen (its list or one of its items, same search). Such a
 * move must be a history entry too: after openItem, Next's router still holds the list's page and
 * a router navigation to that same page leaves the address as it was.
 */
export function isWithinView(href: string): boolean {
  const to = new URL(href, window.location.href);
  const here = viewOf(window.location.pathname);
  return to.origin === window.location.origin && here !== '' && viewOf(to.pathname) === here && to.search === window.location.search;
}

/** Goes to `href`: in place within the view on screen, else through the router. */
export function goTo(router: { push(href: string): void }, href: string): void {
  if (isWithinView(href)) openItem(href);
  else router.push(href);
}

/** onClick for a Link that may point into the view on screen (a folder, Back to list). */
export function followWithinView(e: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  currentTarget: EventTarget;
  preventDefault(): void;
}): void {
  const href = e.currentTarget instanceof HTMLAnchorElement ? e.currentTarget.getAttribute('href') : null;
  if (!href || !isPlainClick(e) || !isWithinView(href)) return;
  e.preventDefault();
  openItem(href);
}
