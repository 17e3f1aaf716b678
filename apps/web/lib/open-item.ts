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
