import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One change the ingest folder saw, with the md5 the named file had when the event arrived (null: gone). */
export interface IngestEvent {
  name: string;
  md5: string | null;
}

export interface IngestWatch {
  readonly events: readonly IngestEvent[];
  /**
   * Resolves once every change made before the call has been seen: a marker file is written and its own event
   * awaited (inotify keeps order), so no sleep decides whether an event "had time" to arrive.
   */
  settle(): Promise<void>;
  close(): void;
}

const MARKER = '.ingest-watch-marker-';

function md5OrNull(file: string): string | null {
  try {
    return createHash('md5').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Watches the ingest folder the way Calibre-Web-Automated does (it imports whatever appears): a test asserts that
 * nothing appears there until the bytes are verified, and that what appears is the book.
 */
export function watchIngest(dir: string): IngestWatch {
  const events: IngestEvent[] = [];
  const waiting = new Map<string, () => void>();
  let markers = 0;
  const watcher: FSWatcher = watch(dir, (_type, name) => {
    if (!name) return;
    if (name.startsWith(MARKER)) {
      waiting.get(name)?.();
      waiting.delete(name);
      return;
    }
    events.push({ name, md5: md5OrNull(path.join(dir, name)) });
  });
  return {
    events,
    settle() {
      const name = `${MARKER}${++markers}`;
      const seen = new Promise<void>((resolve) => waiting.set(name, resolve));
      writeFileSync(path.join(dir, name), '');
      return seen.then(() => rmSync(path.join(dir, name), { force: true }));
    },
    close: () => watcher.close(),
  };
}
