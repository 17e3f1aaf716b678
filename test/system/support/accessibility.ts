import type { Page } from 'playwright-core';

/**
 * Before an axe scan: the page's title is set. During a client-side navigation Next.js swaps the
 * head's tags, and a scan in that moment finds no <title> (axe's document-title, serious: it failed
 * CI once in mail-rules). A page that never gets a title is still scanned after 5 s, and axe says so.
 */
export async function titleSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.title.trim() !== '', undefined, { timeout: 5_000 }).catch(() => {});
}
