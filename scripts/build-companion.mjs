// Bundles the companion into dist/server.js for a fast start (toolchain.md step 7).
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { pageBuildOptions } from '../companion/ui/page-build-options.mjs';

// The web UI page: hashed names in dist/ui (served long-cached), and a manifest that tells the server they exist.
rmSync('dist/ui', { recursive: true, force: true });
const page = await build({ ...pageBuildOptions(process.cwd()), outdir: 'dist/ui' });
const pageFiles = Object.keys(page.metafile.outputs).map((file) => path.basename(file));
writeFileSync('dist/ui/manifest.json', JSON.stringify({ files: pageFiles }, null, 2));

await build({
  entryPoints: ['companion/main.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native and browser packages stay outside the bundle; puppeteer is imported lazily.
  external: ['better-sqlite3', 'puppeteer', 'puppeteer-core', 'esbuild'],
  // Bundled CommonJS dependencies (cheerio, undici) call require(): give the ESM output a real one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
