// Bundles the companion into dist/server.js for a fast start (toolchain.md step 7). The entry is companion/boot.ts
// (turns on Node's compile cache where there is one), which loads the rest as a chunk.
// Minified and split: what the first request needs is in server.js; parts loaded with `await import()` on first
// use (undici, puppeteer's launcher) are separate chunks, so start-up compiles only the first part. The source map
// is written beside it for `node --enable-source-maps dist/server.js`; nothing reads it at run time otherwise.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
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
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native and browser packages stay outside the bundle; puppeteer is imported lazily.
  external: ['better-sqlite3', 'puppeteer', 'puppeteer-core'],
  // Bundled CommonJS dependencies (cheerio, undici) call require(): give the ESM output a real one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
