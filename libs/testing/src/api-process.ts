import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface ApiProcess {
  httpPort: number;
  smtpPort: number;
  submissionPort: number;
  submissionsPort: number;
  pop3Port: number;
  pop3sPort: number;
  imapPort: number;
  imapsPort: number;
  /** Everything the process printed so far. */
  output(): string;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<number | null>;
  /** kill -9 and wait for exit. */
  kill(): Promise<void>;
  child: ChildProcess;
}

export const repoRoot = path.resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The listening ports a test process needs; each defaults to a free one. */
const PORT_VARS = [
  'CORREIO_API_PORT',
  'CORREIO_SMTP_PORT',
  'CORREIO_SUBMISSION_PORT',
  'CORREIO_SUBMISSIONS_PORT',
  'CORREIO_POP3_PORT',
  'CORREIO_POP3S_PORT',
  'CORREIO_IMAP_PORT',
  'CORREIO_IMAPS_PORT',
] as const;

/** A port found free can be taken by another process before ours binds it: that many fresh tries. */
const PORT_RACE_ATTEMPTS = 3;

/**
 * Starts the built API (apps/api/dist/main.js) as a real process with the given environment and
 * waits until its banner says it is serving. Ports default to free ones; if one was taken between
 * finding it free and binding it (EADDRINUSE, e.g. another test run on the machine), it starts
 * again on fresh ports — never when the caller chose the ports.
 */
export async function startApiProcess(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ApiProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, timeoutMs);
    } catch (err) {
      const callerChosePorts = PORT_VARS.every((k) => env[k] !== undefined);
      if (!(err instanceof PortTakenError) || callerChosePorts || attempt >= PORT_RACE_ATTEMPTS) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(env: Record<string, string | undefined>, timeoutMs: number): Promise<ApiProcess> {
  const ports = {} as Record<(typeof PORT_VARS)[number], number>;
  for (const k of PORT_VARS) ports[k] = Number(env[k] ?? (await freePort()));
  const httpPort = ports.CORREIO_API_PORT;
  const smtpPort = ports.CORREIO_SMTP_PORT;
  const submissionPort = ports.CORREIO_SUBMISSION_PORT;
  const submissionsPort = ports.CORREIO_SUBMISSIONS_PORT;
  const pop3Port = ports.CORREIO_POP3_PORT;
  const pop3sPort = ports.CORREIO_POP3S_PORT;
  const imapPort = ports.CORREIO_IMAP_PORT;
  const imapsPort = ports.CORREIO_IMAPS_PORT;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json' };
  for (const k of PORT_VARS) childEnv[k] = String(ports[k]);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/main.js')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = setInterval(() => {
      if (out.includes('Correio is running')) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      const message = `API exited with ${code} before starting:\n${out}`;
      reject(out.includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message));
    });
  });
  return {
    httpPort,
    smtpPort,
    submissionPort,
    submissionsPort,
    pop3Port,
    pop3sPort,
    imapPort,
    imapsPort,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
