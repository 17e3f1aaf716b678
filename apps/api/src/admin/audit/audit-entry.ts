import type { FastifyRequest } from 'fastify';
import type { AuthenticatedSession } from '../../auth/auth.service.js';
import type { NewAuditEntry } from './admin-audit.repository.js';
import type { AuditSpec } from './audited.decorator.js';

/** Body fields never copied into the audit log. */
const SECRET_FIELDS = new Set(['password', 'newPassword', 'token', 'secret']);

function redact(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
}

/** The entry an @Audited request writes: who (the session), what (the spec), on what, with what (redacted), from where. */
export function auditEntryOf(spec: AuditSpec, req: FastifyRequest & { session?: AuthenticatedSession }): NewAuditEntry {
  const params = (req.params ?? {}) as Record<string, string>;
  const body = redact(req.body);
  const raw = spec.targetParam ? params[spec.targetParam] : spec.targetField ? body[spec.targetField] : undefined;
  // Targets are addresses, domains and queue ids: lower case, as the directory stores them.
  const target = typeof raw === 'string' && raw ? raw.toLowerCase() : null;
  const account = req.session?.account;
  return {
    actorId: account?.id ?? null,
    actorAddress: account?.address ?? 'unknown',
    action: spec.action,
    target,
    details: { ...body, ...(Object.keys(params).length ? { params } : {}) },
    ip: req.ip ?? null,
  };
}
