// Dovecot IMAP (Debian's dovecot-imapd) for bench/imap.mjs and the IMAP system tests' control run
// (test/system/imap-clients.e2e.test.ts): the private instance of bench/lib/dovecot.mjs with
// protocol imap. Types in dovecot.d.mts.
import { DOVECOT_BIN, dovecotInstalled, dovecotVersion, ensureDovecot, startDovecot } from '../lib/dovecot.mjs';

export { DOVECOT_BIN, dovecotVersion };

export function dovecotImapInstalled() {
  return dovecotInstalled('imap');
}

/** Installs Debian's dovecot-imapd when missing (root only). Returns null when usable, else why not. */
export function ensureDovecotImap({ install = true, log = () => {} } = {}) {
  return ensureDovecot({ protocol: 'imap', install, log });
}

export function startDovecotImap({ users, prefix = 'correio-dovecot-imap-', tls } = {}) {
  return startDovecot({ protocol: 'imap', users, prefix, tls });
}
