import { linkSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './parse-env.js';

export interface FolderToCheck {
  /** The variable that sets the folder, named in the error so the fix is obvious. */
  variable: string;
  dir: string;
  /** Mode for a folder that has to be created (the data folder is private to the process user). */
  mode?: number;
  /** How the folder is named when it is not the variable's value itself (e.g. "DATA_DIR's staging folder"). */
  label?: string;
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

/**
 * Creates each folder if needed and proves the process can use it as placement does: create a file, hard-link it,
 * remove both. Synchronous and cheap (runs once at start). Throws a one-line {@link ConfigError} naming the variable.
 */
export function checkFolders(folders: FolderToCheck[]): void {
  for (const { variable, dir, mode, label } of folders) {
    const where = label ? `${label} ${dir}` : `${variable}=${dir}`;
    try {
      mkdirSync(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
    } catch (err) {
      const code = codeOf(err);
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        throw new ConfigError(`${where} is a file, not a folder: point ${variable} at a folder`);
      }
      throw new ConfigError(`${where} cannot be created (${code}): create it or point ${variable} elsewhere`);
    }
    if (!statSync(dir).isDirectory()) {
      throw new ConfigError(`${where} is not a folder: point ${variable} at a folder`);
    }
    const probe = path.join(dir, `.bookrelay-probe-${process.pid}.tmp`);
    const linked = `${probe}.link`;
    let step = 'write to it';
    try {
      writeFileSync(probe, '');
      step = 'hard-link files in it';
      linkSync(probe, linked);
    } catch (err) {
      const uid = process.getuid?.();
      throw new ConfigError(
        `${where} is not usable: cannot ${step} (${codeOf(err)})${uid === undefined ? '' : ` as uid ${uid}`}; ` +
          `fix the folder's owner or permissions, or point ${variable} elsewhere`,
      );
    } finally {
      rmSync(linked, { force: true });
      rmSync(probe, { force: true });
    }
  }
}
