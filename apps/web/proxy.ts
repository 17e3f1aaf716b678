import { type NextRequest, NextResponse } from 'next/server';
import { apiOrigin } from '@/lib/config';

/**
 * Same-origin /api/* → the API process. The browser never talks to the API directly, so cookies
 * stay first-party and CSP `connect-src 'self'` holds.
 *
 * This is a Proxy (read per request) and not a next.config rewrite on purpose: rewrites are
 * compiled into the build's routes manifest, so one image could never be pointed at another API
 * address. Here CORREIO_API_URL is read when `next start` runs.
 */
export function proxy(request: NextRequest): NextResponse {
  const target = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, apiOrigin());
  return NextResponse.rewrite(target);
}

export const config = {
  matcher: '/api/:path*',
};
