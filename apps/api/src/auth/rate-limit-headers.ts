import type { FastifyReply } from 'fastify';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { RateDecision } from './rate-limiter.js';

/**
 * The rate-limit fields of draft-ietf-httpapi-ratelimit-headers in their three-field form
 * (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset in delta seconds — the form of the draft's
 * earlier revisions that clients and gateways read today), for the tightest of the limits that
 * applied to the request. A refusal is 429 with Retry-After (RFC 9110 §10.2.3, RFC 6585 §4).
 */
export function applyRateDecisions(reply: FastifyReply, decisions: RateDecision[]): void {
  if (decisions.length === 0) return;
  const refused = decisions.find((d) => !d.isAllowed);
  const shown = refused ?? decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  void reply.header('ratelimit-limit', String(shown.limit));
  void reply.header('ratelimit-remaining', String(shown.remaining));
  void reply.header('ratelimit-reset', String(shown.resetSeconds));
  if (refused) {
    void reply.header('retry-after', String(refused.resetSeconds));
    throw new AppError(ErrorCode.RateLimited, `too many requests; retry in ${refused.resetSeconds} s`);
  }
}
