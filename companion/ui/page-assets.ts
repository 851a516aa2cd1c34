import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built page: hashed file names → bytes, and which of them the HTML loads. */
export interface PageAssets {
  files: Map<string, { body: Uint8Array; type: string }>;
  script: string;
  style: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function fromFiles(entries: Array<{ name: string; body: Uint8Array }>): PageAssets {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const { name, body } of entries) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { body, type });
  }
  const names = [...files.keys()];
  const script = names.find((name) => /^main-[A-Z0-9]+\.js$/i.test(name));
  const style = names.find((name) => /^page-[A-Z0-9]+\.css$/i.test(name));
  if (!script || !style) throw new Error(`Expected the web UI build to hold main-*.js and page-*.css, got ${names}`);
  return { files, script, style };
}

/**
 * The companion bundle (dist/server.js) serves dist/ui, built by scripts/build-companion.mjs. Run from source
 * (tests, `npm run dev:companion`), the page is built in memory with the same options, so it is never stale.
 */
export async function loadPageAssets(): Promise<PageAssets> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/ui beside the bundle's entry; the code that reads it may sit in a chunk one folder down (dist/chunks).
  const built = [path.join(here, 'ui'), path.join(here, '..', 'ui')].find((dir) =>
    existsSync(path.join(dir, 'manifest.json')),
  );
  if (built) {
    return fromFiles(readdirSync(built).map((name) => ({ name, body: readFileSync(path.join(built, name)) })));
  }
  // The bundle defines BOOKRELAY_BUNDLE, so this branch (and esbuild, a build tool) is left out of it.
  if (process.env.BOOKRELAY_BUNDLE === 'true') {
    throw new Error(`Expected the built web UI in ${path.join(here, 'ui')}: run npm run build:companion`);
  } else {
    const root = path.resolve(here, '../..');
    const [{ build }, { pageBuildOptions }] = await Promise.all([
      import('esbuild'),
      import('./page-build-options.mjs'),
    ]);
    const result = await build({ ...pageBuildOptions(root), outdir: path.join(root, 'dist/ui'), write: false });
    return fromFiles(result.outputFiles.map((file) => ({ name: path.basename(file.path), body: file.contents })));
  }
}

/** The page's weight as served (for `npm run bench` and the budget test): script and style bytes. */
export async function measurePageAssets(): Promise<{ scriptBytes: number; styleBytes: number }> {
  const { files, script, style } = await loadPageAssets();
  return { scriptBytes: files.get(script)?.body.byteLength ?? 0, styleBytes: files.get(style)?.body.byteLength ?? 0 };
}
