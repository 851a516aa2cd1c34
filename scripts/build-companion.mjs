// Bundles the companion into dist/server.js for a fast start (toolchain.md step 7). The entry is companion/boot.ts:
// it turns on Node's module compile cache (later starts load cached bytecode instead of compiling the bundle again;
// the cache lives in NODE_COMPILE_CACHE or the tmp dir), then loads the rest as a chunk.
// Minified and split: what the first request needs is in the main chunk; parts loaded with `await import()` on first
// use (undici, puppeteer's launcher) are separate chunks, so start-up compiles only the first part. The source map
// is written beside it for `node --enable-source-maps dist/server.js`; nothing reads it at run time otherwise.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { pageBuildOptions } from '../companion/ui/page-build-options.mjs';

rmSync('dist', { recursive: true, force: true });

// The web UI page: hashed names in dist/ui (served long-cached), and a manifest that tells the server they exist.
const page = await build({ ...pageBuildOptions(process.cwd()), outdir: 'dist/ui' });
const pageFiles = Object.keys(page.metafile.outputs).map((file) => path.basename(file));
writeFileSync('dist/ui/manifest.json', JSON.stringify({ files: pageFiles }, null, 2));

await build({
  entryPoints: { server: 'companion/boot.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  minify: true,
  // Error and class names stay readable in logs.
  keepNames: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
  // Native and browser packages stay outside the bundle; puppeteer is imported lazily.
  external: ['better-sqlite3', 'puppeteer', 'puppeteer-core'],
  // The web UI is served from dist/ui: the bundle leaves out the in-memory page build (and esbuild) of source runs.
  define: { 'process.env.BOOKRELAY_BUNDLE': '"true"' },
  // Bundled CommonJS dependencies (cheerio, undici) call require(): give the ESM output a real one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
