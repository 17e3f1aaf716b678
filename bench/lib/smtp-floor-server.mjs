// The Node SMTP responders of bench/smtp-floor.mjs, run as a process of their own (as a server is):
//   node bench/lib/smtp-floor-server.mjs raw|smtp-server PORT
// raw: static replies on plain net sockets, lines split by hand, nothing parsed or kept.
// smtp-server: the library the MX is built on, configured as the MX is (greeting at once, no reverse
// DNS, no AUTH, no TLS offered), its DATA stream read and dropped.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

if (mode === 'raw') {
  net
    .createServer((s) => {
      s.setNoDelay(true);
      s.write('220 floor ESMTP\r\n');
      let inData = false;
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (inData) {
            if (line === '.') {
              inData = false;
              s.write('250 2.0.0 Ok\r\n');
            }
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'DATA') {
            inData = true;
            s.write('354 End data with <CR><LF>.<CR><LF>\r\n');
          } else if (verb === 'QUIT') s.end('221 2.0.0 Bye\r\n');
          else if (verb === 'EHLO') s.write('250-floor\r\n250 PIPELINING\r\n');
          else s.write('250 2.0.0 Ok\r\n');
        }
      });
      s.on('error', () => {});
    })
    .on('error', (err) => {
      console.error(`node-raw: ${err.message}`);
      process.exit(1);
    })
    .listen(port, '127.0.0.1', () => process.send?.('ready'));
} else if (mode === 'smtp-server') {
  const lib = path.join(repoRoot, 'node_modules/smtp-server/dist/esm');
  const { SMTPServer } = await import(path.join(lib, 'smtp-server.js'));
  const { SMTPConnection } = await import(path.join(lib, 'smtp-connection.js'));
  // As the MX's greeting patch (smtp-server-patches.ts, correio.greetingDelayMs = 0): upstream waits
  // 100 ms before every 220.
  SMTPConnection.prototype.init = function () {
    this._setListeners(() => setImmediate(() => this.connectionReady()));
  };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => {});
      stream.on('end', () => cb(null, 'Ok'));
    },
  });
  server.on('error', (err) => {
    console.error(`smtp-server: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
} else {
  console.error('usage: smtp-floor-server.mjs raw|smtp-server PORT');
  process.exit(2);
}
