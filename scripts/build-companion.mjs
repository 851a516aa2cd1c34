// Bundles the companion into dist/companion.js for a fast start (toolchain.md step 7), behind a small entry,
// dist/server.js, that turns on Node's module compile cache first: later starts load the bundle's cached bytecode
// instead of compiling 2 MB of JavaScript again (Node >= 22.1; the cache lives in NODE_COMPILE_CACHE or the tmp dir).
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
  outfile: 'dist/companion.js',
  bundle: true,
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

writeFileSync(
  'dist/server.js',
  [
    '// The companion entry: the compile cache first, then the bundle (scripts/build-companion.mjs).',
    "import module from 'node:module';",
    'module.enableCompileCache?.();',
    "await import('./companion.js');",
    '',
  ].join('\n'),
);
