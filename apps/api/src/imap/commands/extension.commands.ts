import { createRequire } from 'node:module';
import type { EnabledExtension, ImapCommandHandler } from '../command-context.js';

/** RFC 5161 ENABLE names → what the session turns on. QRESYNC implies CONDSTORE (RFC 7162 §3.2.3). */
const ENABLEABLE: Record<string, { name: string; turnsOn: EnabledExtension[] }> = {
  CONDSTORE: { name: 'CONDSTORE', turnsOn: ['CONDSTORE'] },
  QRESYNC: { name: 'QRESYNC', turnsOn: ['QRESYNC', 'CONDSTORE'] },
  IMAP4REV2: { name: 'IMAP4rev2', turnsOn: ['IMAP4REV2'] },
  'UTF8=ACCEPT': { name: 'UTF8=ACCEPT', turnsOn: ['UTF8=ACCEPT'] },
};

/**
 * RFC 5161 / RFC 9051 §6.3.1: ENABLE in the authenticated state; "* ENABLED" lists what this
 * command newly turned on (unknown names and ones already on are left out, not errors).
 */
export const ENABLE_COMMAND: ImapCommandHandler<'ENABLE'> = {
  names: ['ENABLE'],
  allowedIn: ['authenticated'],
  async handle(ctx, cmd) {
    const turned: string[] = [];
    for (const requested of cmd.capabilities) {
      const known = ENABLEABLE[requested.toUpperCase()];
      if (!known || known.turnsOn.every((e) => ctx.session.enabled.has(e))) continue;
      for (const e of known.turnsOn) ctx.session.enable(e);
      turned.push(known.name);
    }
    ctx.out.untagged(turned.length ? `ENABLED ${turned.join(' ')}` : 'ENABLED');
    return { status: 'OK', text: 'ENABLE completed' };
  },
};

const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** RFC 2971 ID: our name and version; what the client says about itself is only logged at debug level. */
export const ID_COMMAND: ImapCommandHandler<'ID'> = {
  names: ['ID'],
  allowedIn: ['notAuthenticated', 'authenticated', 'selected'],
  async handle(ctx, cmd) {
    if (cmd.params) ctx.deps.logger.debug?.(`client ID ${JSON.stringify(cmd.params).slice(0, 300)}`);
    ctx.out.untaggedValues([{ atom: 'ID' }, [{ string: 'name' }, { string: 'Correio' }, { string: 'version' }, { string: VERSION }]]);
    return { status: 'OK', text: 'ID completed' };
  },
};

/** RFC 2342 / RFC 9051 §6.3.10: one personal namespace, no prefix, "/" as the delimiter; no shared or other users'. */
export const NAMESPACE_COMMAND: ImapCommandHandler<'NAMESPACE'> = {
  names: ['NAMESPACE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx) {
    ctx.out.untagged('NAMESPACE (("" "/")) NIL NIL');
    return { status: 'OK', text: 'NAMESPACE completed' };
  },
};
