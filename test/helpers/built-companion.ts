import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './test-companion.js';

/** The bundled companion, what `npm start` and the image run. */
export const serverJs = path.resolve('dist/server.js');

/** A port nothing listens on now (for a process that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts dist/server.js as a child process with `env` and waits until `/api/health` answers. */
export async function startBuiltCompanion(
  env: Record<string, string>,
  port?: number,
): Promise<{ child: ChildProcess; base: string }> {
  if (!existsSync(serverJs)) throw new Error('dist/server.js is missing: run `npm run build` (npm test does it first)');
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, [serverJs], {
    env: { ...process.env, ...env, PORT: String(listenOn) },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${listenOn}`;
  await waitFor(
    () =>
      fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      ),
    'companion start',
  );
  return { child, base };
}

/** Resolves with the exit code once `child` has ended (at once if it already has). */
export const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
