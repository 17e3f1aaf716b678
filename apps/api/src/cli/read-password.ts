import { randomBytes } from 'node:crypto';

/** --password, or --password-stdin (first line of standard input), or a generated one. */
export async function readPassword(opts: { password?: string; passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  if (opts.password) return { password: opts.password, generated: false };
  if (opts.passwordStdin) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    const line = data.split(/\r?\n/)[0] ?? '';
    if (!line) throw new Error('no password on standard input');
    return { password: line, generated: false };
  }
  return { password: randomBytes(12).toString('base64url'), generated: true };
}
