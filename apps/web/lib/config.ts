/**
 * The web app's configuration: the one place it reads the environment. Read when called (per
 * request), not at build time, so one build can be pointed at any API (see proxy.ts).
 */

/** Where the API listens (CORREIO_API_URL; default the API's own default port on loopback). */
export function apiOrigin(): string {
  return (process.env.CORREIO_API_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
}
