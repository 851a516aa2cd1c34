// Runs the image's entrypoint outside Docker, the way the container would: the runtime stage's environment (read
// from the Dockerfile), its command, root at the start, folders that "Docker" created as root, a PUID/PGID switch to
// an unprivileged uid, and the image's own HEALTHCHECK script. No Docker engine needed.
//
//   npm run build:companion && node scripts/node24.mjs scripts/try-container.mjs [--target lite] [--puid 4242]
//
// Needs root (for the switch) and a built dist/. Prints what it saw and exits 1 when something is off.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerOf, readDockerfile } from './dockerfile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRYPOINT = path.join(root, 'docker', 'entrypoint.sh');
export const HEALTHCHECK = path.join(root, 'docker', 'healthcheck.mjs');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The image's HEALTHCHECK, run with the container's environment: true on exit 0. */
export function healthcheckPasses(env) {
  return new Promise((resolve) => {
    const check = spawn(process.execPath, [HEALTHCHECK], { env, stdio: 'ignore', timeout: 10_000 });
    check.on('error', () => resolve(false));
    check.on('exit', (code) => resolve(code === 0));
  });
}

export function ownerOf(file) {
  const { uid, gid } = statSync(file);
  return `${uid}:${gid}`;
}

/** Real and effective uid/gid of a running process, from /proc. */
export function idsOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const gid = /^Gid:\s+(\d+)/m.exec(status)?.[1];
  return `${uid}:${gid}`;
}

/**
 * The image's /app: what the runtime stage copies (dist/, node_modules/, package.json, .output/), linked from the
 * repository; `.output/` is its own folder, holding `archives` (file name → content) like `npm run zip` leaves them.
 */
function makeApp(appDir, archives) {
  mkdirSync(path.join(appDir, '.output'), { recursive: true });
  for (const entry of ['dist', 'node_modules', 'package.json', '.puppeteerrc.cjs']) {
    symlinkSync(path.join(root, entry), path.join(appDir, entry));
  }
  for (const [name, content] of Object.entries(archives)) writeFileSync(path.join(appDir, '.output', name), content);
}

/**
 * Starts the entrypoint with a target's container environment plus `env`, in a fresh container root: `folders`
 * are created as root (like Docker's bind-mount sources) and `files` (path → content) are placed in it.
 */
export async function startEntrypoint({
  target = 'default',
  env = {},
  folders = ['config', 'cwa-book-ingest'],
  files = {},
  archives = {},
  runAs,
  prepare,
} = {}) {
  const container = containerOf(readDockerfile(path.join(root, 'Dockerfile')), target);
  const fsRoot = mkdtempSync(path.join(tmpdir(), 'bookrelay-container-'));
  chmodSync(fsRoot, 0o755);
  for (const folder of folders) mkdirSync(path.join(fsRoot, folder), { recursive: true, mode: 0o755 });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(fsRoot, file)), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(fsRoot, file), content);
  }
  const appDir = path.join(fsRoot, 'app');
  makeApp(appDir, archives);
  // `docker run --user uid:gid`: the process starts as that user, on folders the user prepared.
  if (runAs) {
    for (const entry of readdirSync(fsRoot, { recursive: true })) {
      lchownSync(path.join(fsRoot, String(entry)), runAs.uid, runAs.gid);
    }
    chownSync(fsRoot, runAs.uid, runAs.gid);
  }
  const port = await freePort();
  const fullEnv = {
    // The image's PATH has Node 24 first; here that is the Node running this script (scripts/node24.mjs).
    PATH: `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    ...container.env,
    NODE_COMPILE_CACHE: path.join(fsRoot, 'tmp', 'compile-cache'),
    BOOKRELAY_FS_ROOT: fsRoot,
    // CWA-BD's names, as old compose files set them: they must win over the image's defaults.
    FLASK_HOST: '127.0.0.1',
    FLASK_PORT: String(port),
    LOG_LEVEL: 'info',
    ...env,
  };
  prepare?.(fsRoot);
  const child = spawn('sh', [ENTRYPOINT, ...container.cmd], {
    cwd: appDir,
    env: fullEnv,
    ...(runAs ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    fsRoot,
    port,
    env: fullEnv,
    exited,
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(fsRoot, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Waits until the image's HEALTHCHECK passes, or fails with the entrypoint's output. */
export async function waitHealthy(run, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`The entrypoint exited ${run.child.exitCode}:\n${run.output()}`);
    if (await healthcheckPasses(run.env)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No healthy answer within ${timeoutMs} ms:\n${run.output()}`);
}

/** The whole round: start as root, switch to PUID/PGID, healthy, downloads route, SIGTERM drains and exits 0. */
export async function tryContainer({ target = 'default', puid = 4242, pgid = 4343 } = {}) {
  if (process.getuid?.() !== 0) throw new Error('Run as root: the entrypoint switches from root to PUID/PGID');
  if (!existsSync(path.join(root, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: npm run build');
  const run = await startEntrypoint({
    target,
    env: { PUID: String(puid), PGID: String(pgid) },
    archives: { 'bookrelay-0.1.0-chrome.zip': 'PK zip as npm run zip wrote it' },
  });
  try {
    await waitHealthy(run);
    const dataDir = path.join(run.fsRoot, 'config');
    const ingestDir = path.join(run.fsRoot, 'cwa-book-ingest');
    const download = await fetch(`http://127.0.0.1:${run.port}/downloads/bookrelay-chrome.zip`);
    const result = {
      processIds: idsOf(run.child.pid),
      dataDirOwner: ownerOf(dataDir),
      ingestDirOwner: ownerOf(ingestDir),
      databaseOwner: ownerOf(path.join(dataDir, 'bookrelay.sqlite')),
      downloadStatus: download.status,
      downloadType: download.headers.get('content-type'),
      downloadBody: await download.text(),
      exit: undefined,
      output: '',
    };
    run.child.kill('SIGTERM');
    result.exit = await run.exited;
    result.output = run.output();
    return result;
  } finally {
    await run.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : fallback;
  };
  const result = await tryContainer({
    target: arg('target', 'default'),
    puid: Number(arg('puid', 4242)),
    pgid: Number(arg('pgid', 4343)),
  });
  process.stdout.write(`${result.output}\n`);
  delete result.output;
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const ok = result.processIds === `${arg('puid', 4242)}:${arg('pgid', 4343)}` && result.exit.code === 0;
  process.exit(ok ? 0 : 1);
}
