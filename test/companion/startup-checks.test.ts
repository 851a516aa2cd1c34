import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const serverJs = path.resolve('dist/server.js');
// Root ignores folder permissions: the "cannot write" case then runs the companion as nobody.
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

// Every child is killed after its test, also one that (before a fix) kept running instead of stopping.
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

/** The bundled companion (what `npm start` runs) as a child process on port 0. */
function run(env: Record<string, string>, uid?: number): Run {
  if (!existsSync(serverJs)) throw new Error('dist/server.js is missing: run `npm run build:companion`');
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/PROXY|^DATA_DIR$|^INGEST_DIR$|^TMP_DIR$/i.test(name)),
  );
  const child = spawn(process.execPath, [serverJs], {
    env: { ...clean, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  children.push(child);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exit };
}

/** Runs a start that must fail; returns its output once it exits (or, if it keeps running, after 15 s). */
async function failedStart(env: Record<string, string>, uid?: number) {
  const started = run(env, uid);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    started.exit,
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('still running'), 15_000);
    }),
  ]);
  clearTimeout(timer);
  return { code, ...started.output() };
}

function expectOneLineNaming(
  result: { code: number | string | null; stdout: string; stderr: string },
  variable: string,
) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Bookrelay: bad configuration: /);
  expect(lines[0]).toContain(variable);
}

describe('start-up checks of the real companion process', () => {
  let root: string;
  let dataDir: string;
  let ingestDir: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-startup-'));
    dataDir = path.join(root, 'data');
    ingestDir = path.join(root, 'ingest');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('a malformed HTTP_PROXY stops the start with one line that names it and hides the password', async () => {
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir, HTTP_PROXY: 'http://user:s3cret@' });
    expectOneLineNaming(result, 'HTTP_PROXY');
    expect(result.stderr).not.toContain('s3cret');
    expect(result.stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it.each(['INGEST_DIR', 'DATA_DIR', 'TMP_DIR'])('%s pointing at a file is one line naming it', async (variable) => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir, [variable]: file });
    expectOneLineNaming(result, variable);
    expect(result.stderr).toMatch(/is a file, not a folder/);
    expect(result.stderr).not.toMatch(/EEXIST|\n\s+at /);
  });

  it("a file where DATA_DIR's staging folder belongs names DATA_DIR", async () => {
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'staging'), 'x');
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir });
    expectOneLineNaming(result, 'DATA_DIR');
    expect(result.stderr).toContain(`DATA_DIR's staging folder ${path.join(dataDir, 'staging')} is a file`);
  });

  it('an ingest folder the process cannot write to stops the start, naming INGEST_DIR', async () => {
    mkdirSync(ingestDir, { mode: 0o555 });
    chmodSync(ingestDir, 0o555);
    mkdirSync(dataDir, { mode: 0o700 });
    let uid: number | undefined;
    if (isRoot) {
      chmodSync(root, 0o755);
      chownSync(dataDir, NOBODY, NOBODY);
      uid = NOBODY;
    }
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir }, uid);
    expectOneLineNaming(result, 'INGEST_DIR');
    expect(result.stderr).toMatch(/cannot write to it \(EACCES\)/);
  });

  it('a data folder the process cannot write to stops the start, naming DATA_DIR', async () => {
    mkdirSync(dataDir, { mode: 0o500 });
    chmodSync(dataDir, 0o500);
    let uid: number | undefined;
    if (isRoot) {
      chmodSync(root, 0o777);
      chmodSync(dataDir, 0o555);
      uid = NOBODY;
    }
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir }, uid);
    expectOneLineNaming(result, 'DATA_DIR');
  });

  it.each([
    [{ BOOK_LANGUAGE: 'english' }, 'BOOK_LANGUAGE', /valid: en, zh, ru/],
    [{ SUPPORTED_FORMATS: 'pdf,xyz' }, 'SUPPORTED_FORMATS', /"xyz"; valid: epub, mobi/],
  ])('%j stops the start and lists the valid values', async (env, variable, valid) => {
    const result = await failedStart({ DATA_DIR: dataDir, INGEST_DIR: ingestDir, ...env });
    expectOneLineNaming(result, variable);
    expect(result.stderr).toMatch(valid);
  });

  it('USE_CF_BYPASS=false with USING_EXTERNAL_BYPASSER=true starts and warns once that the external one is off', async () => {
    const started = run({
      DATA_DIR: dataDir,
      INGEST_DIR: ingestDir,
      USE_CF_BYPASS: 'false',
      USING_EXTERNAL_BYPASSER: 'true',
    });
    const deadline = Date.now() + 20_000;
    while (!/listening on/.test(started.output().stdout) && Date.now() < deadline) {
      if (started.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { stdout, stderr } = started.output();
    expect(stdout).toMatch(/listening on/);
    const warnings = `${stdout}${stderr}`.split('\n').filter((line) => line.includes('USING_EXTERNAL_BYPASSER'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARN .*USING_EXTERNAL_BYPASSER=true is ignored: USE_CF_BYPASS=false/);
  });
});
