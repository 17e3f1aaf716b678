import type { NextConfig } from 'next';

// The browser only ever talks to this origin; /api/* is forwarded to the API process by proxy.ts
// (at request time, so CORREIO_API_URL is a runtime setting, not baked into the build).
const isDev = process.env.NODE_ENV !== 'production';

// App-wide CSP. The message iframe (srcdoc) inherits this policy and adds its own, stricter one, so
// img-src must leave room for http:/https: — the iframe's own policy blocks them until the user
// clicks "Show images". Next's bootstrap uses inline scripts, hence 'unsafe-inline' (no nonces yet).
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: csp },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

// The proxy (proxy.ts) has Next buffer a request's body and silently cuts it at 10 MB by default;
// uploads (POST /api/v1/uploads) go up to the API's message limit, so the buffer must hold the
// largest one plus multipart framing. Read when `next start` loads this file, like the API reads it.
const maxMessageBytes = Number(process.env.CORREIO_MAX_MESSAGE_BYTES) || 50 * 1024 * 1024;

const nextConfig: NextConfig = {
  reactStrictMode: true,
  experimental: { proxyClientMaxBodySize: maxMessageBytes + 1024 * 1024 },
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
