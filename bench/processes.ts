// Child processes for the bench: the built companion (dist/server.js), a bare node:http server, the world.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, ms (Linux /proc, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface Served {
  child: ChildProcess;
  pid: number;
  base: string;
  /** Spawn → first 200 on `readyPath`, ms. */
  readyMs: number;
  stop(): Promise<void>;
}

async function spawnUntil200(args: string[], env: Record<string, string>, port: number, readyPath: string) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}${readyPath}`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = performance.now() - started;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { child, pid: child.pid as number, base, readyMs, stop };
}

/** The built companion on fresh folders (or `dataRoot`), answering `/api/status`. */
export async function startCompanion(work: string, extraEnv: Record<string, string> = {}, dataRoot?: string) {
  const root = dataRoot ?? mkdtempSync(path.join(work, 'companion-'));
  const port = await freePort();
  const env = {
    PORT: String(port),
    DATA_DIR: path.join(root, 'data'),
    INGEST_DIR: path.join(root, 'ingest'),
    LOG_LEVEL: 'error',
    ...extraEnv,
  };
  return { ...(await spawnUntil200(['dist/server.js'], env, port, '/api/status')), root, env };
}

/** A bare node:http server started the same way, answering `body` as JSON. */
export async function startBare(body = '{}'): Promise<Served> {
  const port = await freePort();
  // The body is read from a file: a 5 MB status does not fit on a command line.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bookrelay-bare-')), 'body.json');
  writeFileSync(file, body);
  const script = `const b=require('node:fs').readFileSync(${JSON.stringify(file)});require('node:http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end(b)}).listen(${port},'127.0.0.1')`;
  return spawnUntil200(['-e', script], {}, port, '/api/status');
}

export interface WorldInfo {
  aa: string;
  aaMirrors: string[];
  /** Every origin of the world (its pages link to each other on loopback). */
  origins: string[];
  books: { md5: string; sizeBytes: number; fileUrl: string }[];
  close(): void;
}

/** bench/world-process.ts with one book per size. */
export async function startWorldProcess(sizes: number[]): Promise<WorldInfo> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/world-process.ts', ...sizes.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolve(buffered.split('\n')[0] ?? '');
    });
    child.on('exit', (code) => reject(new Error(`bench world exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<WorldInfo, 'close'>), close: () => child.kill('SIGTERM') };
}

/** Companion settings that point it at a world process. */
export function worldEnv(world: WorldInfo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AA_BASE_URL: world.aa,
    AA_ADDITIONAL_URLS: world.aaMirrors.join(','),
    DEFAULT_SLEEP: '0',
    USE_CF_BYPASS: 'false',
    // The world is on loopback: its links are refused unless trusted (as in test/helpers/test-companion.ts).
    TRUSTED_ORIGINS: world.origins.join(','),
    ...extra,
  };
}
