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

/**
 * Starts the built API (apps/api/dist/main.js) as a real process with the given environment and
 * waits until its banner says it is serving. Ports default to free ones.
 */
export async function startApiProcess(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ApiProcess> {
  const httpPort = Number(env.CORREIO_API_PORT ?? (await freePort()));
  const smtpPort = Number(env.CORREIO_SMTP_PORT ?? (await freePort()));
  const submissionPort = Number(env.CORREIO_SUBMISSION_PORT ?? (await freePort()));
  const submissionsPort = Number(env.CORREIO_SUBMISSIONS_PORT ?? (await freePort()));
  const pop3Port = Number(env.CORREIO_POP3_PORT ?? (await freePort()));
  const pop3sPort = Number(env.CORREIO_POP3S_PORT ?? (await freePort()));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_FORMAT: 'json',
    CORREIO_API_PORT: String(httpPort),
    CORREIO_SMTP_PORT: String(smtpPort),
    CORREIO_SUBMISSION_PORT: String(submissionPort),
    CORREIO_SUBMISSIONS_PORT: String(submissionsPort),
    CORREIO_POP3_PORT: String(pop3Port),
    CORREIO_POP3S_PORT: String(pop3sPort),
  };
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
      reject(new Error(`API exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    httpPort,
    smtpPort,
    submissionPort,
    submissionsPort,
    pop3Port,
    pop3sPort,
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
