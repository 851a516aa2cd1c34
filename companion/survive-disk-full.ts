import type { Logger } from './logger.js';
import { isDiskFull } from './store/disk-space.js';

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
