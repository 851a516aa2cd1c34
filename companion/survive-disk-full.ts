import type { Logger } from './logger.js';
import { formatBytes, freeBytes, isDiskFull } from './store/disk-space.js';

/**
 * A write that finds the disk full (SQLITE_FULL from a status update in a timer, ENOSPC) is recorded and logged,
 * and the process stays up: SQLite rolled the statement back, and health says the disk is full. Every other
 * uncaught error still ends the process, as Node would.
 */
export function surviveDiskFull(logger: Logger, report: (err: unknown) => void): void {
  process.on('uncaughtException', (err) => {
    if (isDiskFull(err)) {
      report(err);
      logger.error('A write failed: the disk is full', { error: err });
      return;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * At start, before the service can run without its database: a disk-full error ends the process with one line
 * naming DATA_DIR (exit code 1); any other error returns to the caller.
 */
export function exitIfDiskFullAtStart(err: unknown, dataDir: string): void {
  if (!isDiskFull(err)) return;
  const free = freeBytes(dataDir);
  process.stderr.write(
    `Bookrelay: cannot start: disk full: DATA_DIR=${dataDir}${free === undefined ? '' : ` has ${formatBytes(free)} free`}` +
      ' and the database cannot be written; free some space there or point DATA_DIR at a larger disk\n',
  );
  process.exit(1);
}
