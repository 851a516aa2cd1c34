import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { ApiError } from '../../shared/errors.js';

/** The two archives the web UI links to, and the suffix of the file `wxt zip` writes for each (`<name>-<version>-…`). */
const ARCHIVES = {
  'bookrelay-chrome.zip': { suffix: '-chrome.zip', browser: 'Chrome' },
  'bookrelay-firefox.zip': { suffix: '-firefox.zip', browser: 'Firefox' },
} as const;

type ArchiveName = keyof typeof ARCHIVES;

function isArchiveName(name: string): name is ArchiveName {
  return Object.hasOwn(ARCHIVES, name);
}

/** The newest `*-<browser>.zip` in the folder (never the `-sources.zip` Firefox also gets), or undefined. */
function findArchive(dir: string, suffix: string): { file: string; size: number } | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  let best: { file: string; size: number; mtimeMs: number } | undefined;
  for (const entry of entries) {
    if (!entry.endsWith(suffix)) continue;
    const file = path.join(dir, entry);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    if (!best || stat.mtimeMs > best.mtimeMs) best = { file, size: stat.size, mtimeMs: stat.mtimeMs };
  }
  return best;
}

/**
 * GET /downloads/bookrelay-chrome.zip and /downloads/bookrelay-firefox.zip: the built extensions (`npm run zip`
 * writes them to `.output/`; the Docker image ships them), so the web UI can offer them with install steps.
 * Public like the web UI's own files: they hold no secret, only the extension's code.
 */
export const downloadsRoutes = ({ dir }: { dir: string }) =>
  new Hono().get('/:name', (c) => {
    const name = c.req.param('name');
    if (!isArchiveName(name)) {
      return c.json({ error: `No download named ${JSON.stringify(name)}`, code: 'not-found' } satisfies ApiError, 404);
    }
    const { suffix, browser } = ARCHIVES[name];
    const found = findArchive(dir, suffix);
    if (!found) {
      return c.json(
        {
          error: `The ${browser} extension is not built on this server: run \`npm run zip\` (the Docker image ships it)`,
          code: 'not-found',
        } satisfies ApiError,
        404,
      );
    }
    const body = Readable.toWeb(createReadStream(found.file)) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      'Content-Type': 'application/zip',
      'Content-Length': String(found.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-cache',
    });
  });
