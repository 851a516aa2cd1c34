// `npm run demo`: the whole flow offline in one command. Starts the test world (a fake Anna's Archive, partner
// servers, libgen, challenge gates on 127.0.0.1) and a companion pointed at it, on fresh temp folders, builds the
// Chrome extension if it is missing, and prints where to look. Ctrl-C stops everything and removes the temp folders.
//
// DEMO_PORT picks the companion's port (default 8084, which the extension pre-fills; 0 = any free port).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { loadConfig } from '../companion/config.js';
import { createCompanion } from '../companion/create-companion.js';
import { createLogger } from '../companion/logger.js';
import { openDatabase } from '../companion/store/open-database.js';
import { worldEnv } from '../test/helpers/test-companion.js';
import { startWorld } from '../test/world/start-world.js';

const root = path.resolve(import.meta.dirname, '..');
const extensionDirs = {
  chrome: path.join(root, '.output/chrome-mv3'),
  firefox: path.join(root, '.output/firefox-mv3'),
};
if (!existsSync(path.join(extensionDirs.chrome, 'manifest.json'))) {
  const built = spawnSync('npm', ['run', '--silent', 'build:ext'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const world = await startWorld({ countdownSeconds: 2 });
const demoRoot = mkdtempSync(path.join(tmpdir(), 'bookrelay-demo-'));
const env = {
  ...worldEnv(world, demoRoot),
  HOST: '127.0.0.1',
  PORT: process.env.DEMO_PORT ?? '8084',
  LOG_LEVEL: 'info',
};
const config = loadConfig(env);
for (const dir of [config.paths.dataDir, config.paths.ingestDir, config.paths.stagingDir]) {
  mkdirSync(dir, { recursive: true });
}
const logger = createLogger({ level: 'info' });
const companion = await createCompanion({ config, logger, db: openDatabase(config.paths.databaseFile) });
await companion.start();

const server = serve({ fetch: companion.app.fetch, hostname: '127.0.0.1', port: config.server.port }, (info) => {
  const url = `http://127.0.0.1:${info.port}/`;
  process.stdout.write(
    [
      '',
      'Bookrelay demo: everything runs on this machine, against the test world (no internet).',
      `  Web UI:            ${url}`,
      `  Books arrive in:   ${config.paths.ingestDir}`,
      `  Chrome extension:  chrome://extensions → Developer mode → Load unpacked → ${extensionDirs.chrome}`,
      `  Firefox extension: about:debugging → Load Temporary Add-on → ${path.join(extensionDirs.firefox, 'manifest.json')}`,
      `                     (npm run build:ext:firefox first if that folder is missing)`,
      `  The world's books: ${world.books.map((book) => book.title).join(', ')}`,
      `  Try:               curl '${url}api/search?query=pride'`,
      '  Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
});
server.on('error', (err) => {
  process.stderr.write(
    `Bookrelay demo: cannot listen on port ${config.server.port} (${err.message}); try DEMO_PORT=0\n`,
  );
  process.exit(1);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  await companion.close();
  await world.close();
  rmSync(demoRoot, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
