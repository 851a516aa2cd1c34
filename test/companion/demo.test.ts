import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run demo` (scripts/demo.ts) as a newcomer runs it: one process, the world plus a companion, offline.
describe('npm run demo', () => {
  let demo: ChildProcess;
  let output = '';
  let url = '';
  let ingest = '';

  beforeAll(async () => {
    demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: { ...process.env, DEMO_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    demo.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 60_000;
    while (!/Try:/.test(output)) {
      if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`The demo did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = /Web UI: +(\S+)/.exec(output)?.[1] ?? '';
    ingest = /Books arrive in: +(\S+)/.exec(output)?.[1] ?? '';
  });

  afterAll(async () => {
    if (demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGTERM');
      await exited;
    }
  });

  it('prints the web UI, the ingest folder and the extension folders', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(output).toContain(path.resolve('.output/chrome-mv3'));
    expect(output).toContain(path.resolve('.output/firefox-mv3/manifest.json'));
    expect(existsSync(ingest)).toBe(true);
  });

  it('serves the web UI and gets a book from the world into the ingest folder', async () => {
    expect((await fetch(url)).status).toBe(200);
    const results = (await (await fetch(`${url}api/search?query=pride`)).json()) as { id: string; title: string }[];
    const book = results.find((r) => /Pride and Prejudice/.test(r.title));
    expect(book).toBeDefined();
    expect((await fetch(`${url}api/download?id=${book?.id}`)).status).toBe(200);
    const deadline = Date.now() + 60_000;
    let status: Record<string, Record<string, unknown>> = {};
    while (Date.now() < deadline) {
      status = (await (await fetch(`${url}api/status`)).json()) as typeof status;
      if (status.available?.[book?.id ?? '']) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(Object.keys(status.available ?? {})).toContain(book?.id);
  });

  it('stops cleanly on SIGTERM and removes its temp folders', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(ingest)).toBe(false);
  });
});
