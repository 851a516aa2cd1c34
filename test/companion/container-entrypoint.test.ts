import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  healthcheckPasses,
  idsOf,
  ownerOf,
  startEntrypoint,
  tryContainer,
  waitHealthy,
  // @ts-expect-error: plain .mjs script without type declarations
} from '../../scripts/try-container.mjs';
import { waitFor } from '../helpers/test-companion.js';

// The image's entrypoint and healthcheck, run outside Docker with the container's environment (scripts/try-container.mjs).
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('the entrypoint, as root like in the container', () => {
  it('fixes the owner of root-made volumes, runs the companion as PUID:PGID, answers the healthcheck, drains on SIGTERM', async () => {
    const result = await tryContainer({ target: 'default', puid: 4242, pgid: 4343 });
    expect(result.processIds).toBe('4242:4343');
    expect(result.dataDirOwner).toBe('4242:4343');
    expect(result.ingestDirOwner).toBe('4242:4343');
    expect(result.databaseOwner).toBe('4242:4343');
    // The built extension is offered for download from the image's .output/.
    expect(result.downloadStatus).toBe(200);
    expect(result.downloadType).toBe('application/zip');
    expect(result.downloadBody).toBe('PK zip as npm run zip wrote it');
    expect(result.output).toMatch(/Received SIGTERM/);
    expect(result.exit).toEqual({ code: 0, signal: null });
  });

  it("takes CWA-BD's UID/GID and FLASK_PORT, an older image's /data and Shelfmark's /books", async () => {
    const run = await startEntrypoint({
      target: 'lite',
      env: { UID: '4244', GID: '4245' },
      folders: ['data', 'books'],
      files: { 'data/bookrelay.sqlite': '' },
    });
    try {
      await waitHealthy(run);
      // FLASK_PORT (the image sets no PORT to shadow it) is where the companion listens.
      expect(run.env.PORT).toBeUndefined();
      expect((await fetch(`http://127.0.0.1:${run.port}/api/health`)).status).toBe(200);
      expect(idsOf(run.child.pid)).toBe('4244:4245');
      expect(ownerOf(path.join(run.fsRoot, 'data', 'bookrelay.sqlite'))).toBe('4244:4245');
      expect(ownerOf(path.join(run.fsRoot, 'books'))).toBe('4244:4245');
      expect(run.output()).toContain(
        `data: ${path.join(run.fsRoot, 'data')}, books: ${path.join(run.fsRoot, 'books')}`,
      );
    } finally {
      await run.close();
    }
  });

  it('started as a non-root user (docker run --user), runs the companion as that user without switching', async () => {
    const run = await startEntrypoint({ target: 'lite', env: { PUID: '4246' }, runAs: { uid: 4247, gid: 4248 } });
    try {
      await waitHealthy(run);
      expect(idsOf(run.child.pid)).toBe('4247:4248');
      expect(ownerOf(path.join(run.fsRoot, 'config', 'bookrelay.sqlite'))).toBe('4247:4248');
      expect(run.output()).not.toMatch(/running as/);
    } finally {
      await run.close();
    }
  });

  it('goes on with a warning when a volume refuses root (a share), leaving the verdict to the companion', async (ctx) => {
    let ingest = '';
    // An immutable folder refuses chown even to root, as an NFS root_squash or CIFS share does.
    const run = await startEntrypoint({
      env: { PUID: '4249', PGID: '4249' },
      prepare: (fsRoot: string) => {
        ingest = path.join(fsRoot, 'cwa-book-ingest');
        if (spawnSync('chattr', ['+i', ingest]).status !== 0) ingest = '';
      },
    });
    try {
      if (!ingest) return ctx.skip('chattr +i is not supported on this file system');
      await waitFor(() => /running as 4249:4249/.test(run.output()), 'the entrypoint to start the companion');
      expect(run.output()).toContain(`cannot change the owner of ${ingest} to 4249:4249 (a share?)`);
    } finally {
      if (ingest) spawnSync('chattr', ['-i', ingest]);
      await run.close();
    }
  });

  it('refuses PUID=0 and a PUID that is not a number, naming the variable', async () => {
    for (const [env, words] of [
      [{ PUID: '0' }, /PUID=0 would run the companion as root/],
      [{ PUID: 'abc' }, /PUID \(or UID\) must be a number, got 'abc'/],
      [{ PGID: '-1' }, /PGID \(or GID\) must be a number/],
    ] as const) {
      const run = await startEntrypoint({ env });
      try {
        expect((await run.exited).code).toBe(1);
        expect(run.output()).toMatch(words);
      } finally {
        await run.close();
      }
    }
  });

  describe('USING_TOR=true: a clear failure when Tor cannot bootstrap', () => {
    let bin: string;
    beforeAll(() => {
      bin = mkdtempSync(path.join(tmpdir(), 'bookrelay-tor-bin-'));
      chmodSync(bin, 0o755);
      // Stand-ins for the tor binary's two ways of not bootstrapping: it exits, or it never gets to 100%.
      writeFileSync(path.join(bin, 'tor-exits'), '#!/bin/sh\necho "[err] Could not bind to 127.0.0.1:9050"\nexit 1\n');
      writeFileSync(
        path.join(bin, 'tor-stuck'),
        '#!/bin/sh\necho "Bootstrapped 5% (conn): Connecting"\nexec sleep 60\n',
      );
      chmodSync(path.join(bin, 'tor-exits'), 0o755);
      chmodSync(path.join(bin, 'tor-stuck'), 0o755);
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    for (const [name, tor, words] of [
      ['not installed', '/nonexistent/tor', /USING_TOR=true but tor is not installed/],
      ['exits', 'tor-exits', /tor stopped before it bootstrapped; its last lines: \[err\] Could not bind/],
      ['stuck', 'tor-stuck', /tor did not bootstrap within 2s .*Bootstrapped 5%/],
    ] as const) {
      it(`tor ${name}: the container stops with the reason, and no companion starts`, async () => {
        const run = await startEntrypoint({
          target: 'tor',
          env: { TOR_BIN: tor.startsWith('/') ? tor : path.join(bin, tor), TOR_BOOTSTRAP_TIMEOUT: '2' },
        });
        try {
          expect((await run.exited).code).toBe(1);
          expect(run.output()).toMatch(words);
          expect(run.output()).not.toMatch(/listening on/);
        } finally {
          await run.close();
        }
      });
    }
  });
});

describe("the image's HEALTHCHECK script", () => {
  let server: Server;
  let status = 200;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.statusCode = status;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is healthy only on a 2xx: 401 and 500 are unhealthy', async () => {
    const env = { PATH: process.env.PATH, FLASK_PORT: String(port) };
    for (const [code, healthy] of [
      [200, true],
      [204, true],
      [401, false],
      [500, false],
      [302, false],
    ] as const) {
      status = code;
      expect(await healthcheckPasses(env), String(code)).toBe(healthy);
    }
  });

  it('PORT wins over FLASK_PORT, and nothing listening is unhealthy', async () => {
    status = 200;
    expect(await healthcheckPasses({ PATH: process.env.PATH, PORT: String(port), FLASK_PORT: '1' })).toBe(true);
    server.close();
    expect(await healthcheckPasses({ PATH: process.env.PATH, PORT: String(port) })).toBe(false);
  });
});
