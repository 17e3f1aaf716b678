// `npm start`: builds what is needed (turbo caches, so a second start builds nothing), then runs the
// API (all roles) and the web app, and stops both together. Settings come from the environment or a
// .env file (see .env.example); with no DATABASE_URL the API runs an embedded PostgreSQL in ./data.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, root } from './lib/build.mjs';

loadDotEnv(path.join(root, '.env'));
const apiPort = process.env.CORREIO_API_PORT ?? '3001';
const webPort = process.env.CORREIO_WEB_PORT ?? '3000';
const bind = process.env.CORREIO_BIND ?? '127.0.0.1';
process.env.CORREIO_WEB_URL ??= `http://localhost:${webPort}`;
process.env.CORREIO_DATA_DIR ??= path.join(root, 'data');

console.log('correio: building (first start takes a minute or two)...');
ensureBuilt({ quiet: true, web: true });

const children = [];
let stopping = false;

function launch(name, args, env, cwd = root) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`correio: ${name} exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code);
  }, 35_000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

launch('api', [path.join(root, 'apps/api/dist/main.js')], { CORREIO_API_PORT: apiPort, NODE_ENV: 'production' });
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
launch('web', [nextBin, 'start', '-p', webPort, '-H', bind], {
  CORREIO_API_URL: `http://127.0.0.1:${apiPort}`,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
}, path.join(root, 'apps/web'));

function loadDotEnv(file) {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
}
