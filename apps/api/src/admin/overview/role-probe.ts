import { connect } from 'node:net';
import type { RoleState } from '@correio/contracts';
import type { AppConfig } from '../../config/config.schema.js';

/** True when something accepts a TCP connection at host:port within `timeoutMs`. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The listening roles (SMTP, submission, IMAP, POP3) as seen from here: 'off' when this install's
 * configuration does not run the role, otherwise a TCP connection to the configured address says
 * up or down. A port of 0 (chosen at start, tests) cannot be probed from the configuration alone.
 */
export async function listenerStates(config: AppConfig, probe = tcpAnswers): Promise<RoleState[]> {
  const host = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  const roles: { role: RoleState['role']; runs: boolean; ports: number[] }[] = [
    { role: 'smtp', runs: config.roles.includes('smtp'), ports: [config.smtp.port] },
    { role: 'submission', runs: config.roles.includes('smtp'), ports: [config.smtp.submissionPort, config.smtp.submissionsPort] },
    { role: 'imap', runs: config.roles.includes('imap'), ports: [config.imap.port, config.imap.tlsPort] },
    { role: 'pop3', runs: config.roles.includes('pop3'), ports: [config.pop3.port, config.pop3.tlsPort] },
  ];
  return Promise.all(
    roles.map(async ({ role, runs, ports }): Promise<RoleState> => {
      const address = ports.map((p) => `${host}:${p}`).join(', ');
      if (!runs) return { role, address, state: 'off', detail: 'not run by this installation (CORREIO_ROLES)' };
      const fixed = ports.filter((p) => p > 0);
      if (fixed.length === 0) return { role, address, state: 'up', detail: 'port chosen at start; not probed' };
      const answers = await Promise.all(fixed.map((p) => probe(host, p)));
      const down = fixed.filter((_, i) => !answers[i]);
      return down.length === 0
        ? { role, address, state: 'up', detail: 'accepting connections' }
        : { role, address, state: 'down', detail: `no answer on port ${down.join(', ')}` };
    }),
  );
}
