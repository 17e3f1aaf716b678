import net from 'node:net';

export type SmtpOnceResult = number | 'lost' | 'refused';

/**
 * One SMTP transaction from bruna@paulolopes.fr to joel@ifsc.edu on its own connection, for the
 * crash tests: the final reply code, 'lost' when the connection died after the final "." (the
 * RFC 1047 window: the message may or may not be stored), or 'refused' when it died before.
 */
export function sendSmtpOnce(port: number, message: string): Promise<SmtpOnceResult> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const script = ['EHLO crash.test', 'MAIL FROM:<bruna@paulolopes.fr>', 'RCPT TO:<joel@ifsc.edu>', 'DATA', `${message}.`, 'QUIT'];
    let step = -1;
    let buf = '';
    let dotSent = false;
    let final: number | undefined;
    const done = (v: SmtpOnceResult) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(20_000, () => done(dotSent ? 'lost' : 'refused'));
    sock.on('error', () => {});
    sock.on('close', () => resolve(final ?? (dotSent ? 'lost' : 'refused')));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i !== -1; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line[3] === '-') continue;
        const c = Number(line.slice(0, 3));
        if (dotSent && step === 4) {
          final = c;
          return done(c);
        }
        const expected = step === -1 ? 220 : step === 3 ? 354 : 250;
        if (c !== expected) return done(c);
        step++;
        if (step === 4) dotSent = true;
        sock.write(`${script[step]}\r\n`);
      }
    });
  });
}
