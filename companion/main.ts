import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { APP_VERSION } from '../shared/version.js';
import { checkFolders } from './check-folders.js';
import { ConfigError, loadConfig } from './config.js';
import { configWarnings } from './config-warnings.js';
import { createCompanion } from './create-companion.js';
import { createLogger } from './logger.js';
import { refreshQueue } from './queue/refresh-queue.js';
import { answerClientErrorsWithJson } from './routes/client-error.js';
import { openDatabase } from './store/open-database.js';
import { exitIfDiskFullAtStart, surviveDiskFull } from './survive-disk-full.js';

/** The process: reads the environment once, opens the database, serves, and drains on SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
    checkFolders([
      // The data folder holds clearance cookies and token hashes: only the process user may read it.
      { variable: 'DATA_DIR', dir: config.paths.dataDir, mode: 0o700 },
      { variable: 'INGEST_DIR', dir: config.paths.ingestDir },
      process.env.TMP_DIR?.trim()
        ? { variable: 'TMP_DIR', dir: config.paths.stagingDir }
        : { variable: 'DATA_DIR', dir: config.paths.stagingDir, label: "DATA_DIR's staging folder" },
    ]);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Bookrelay: bad configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.log.level });
  for (const warning of configWarnings(config)) logger.warn(warning);
  let companion: Awaited<ReturnType<typeof createCompanion>>;
  try {
    companion = await createCompanion({ config, logger, db: openDatabase(config.paths.databaseFile) });
  } catch (err) {
    // A first start on a full disk cannot even create the database: one line, not a SqliteError stack.
    exitIfDiskFullAtStart(err, config.paths.dataDir);
    throw err;
  }
  surviveDiskFull(logger, (err) => companion.disk.report(err));
  if (companion.firstAdmin) {
    // Printed once, straight to the terminal: the logger would (rightly) redact it.
    process.stdout.write(
      `\nBookrelay created the first admin account.\n  user: ${companion.firstAdmin.name}\n  password: ${companion.firstAdmin.password}\nSign in to the web UI and change it there; it is not shown again.\n\n`,
    );
  }
  if (companion.isAuthRequired()) {
    // The extension pairs with a short code; one is ready at start so a fresh install can pair from the log alone.
    try {
      const { code, expiresAtMs } = companion.pairing.createCode();
      const minutes = Math.round((expiresAtMs - Date.now()) / 60_000);
      logger.info(`Pairing code for the browser extension: ${code} (valid ${minutes} minutes, single use)`);
    } catch (err) {
      // A full disk: the service still starts (health says why); a code can be made from the web UI later.
      if (!companion.disk.report(err)) throw err;
      logger.error('No pairing code at start: the disk is full', { error: err });
    }
  }
  await companion.start();
  const housekeeping = setInterval(() => {
    try {
      refreshQueue(companion.store, config.downloads.statusTimeoutMs);
    } catch (err) {
      if (!companion.disk.report(err)) throw err;
    }
  }, 60_000);

  const server = serve(
    { fetch: companion.app.fetch, hostname: config.server.host, port: config.server.port },
    (info) => {
      logger.info(`Bookrelay companion ${APP_VERSION} listening on http://${info.address}:${info.port}`, {
        dataDir: config.paths.dataDir,
        ingestDir: config.paths.ingestDir,
      });
    },
  );
  answerClientErrorsWithJson(server as Server);
  server.on('error', (err) => {
    logger.error(`Cannot listen on ${config.server.host}:${config.server.port}`, { error: err });
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}, finishing up`);
    clearInterval(housekeeping);
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    server.close();
    // Running downloads stop and go back to the queue with their partial files, for a Range resume next start.
    await companion.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();
