// Bundles the companion into dist/companion.js for a fast start (toolchain.md step 7), behind a small entry,
// dist/server.js, that turns on Node's module compile cache first: later starts load the bundle's cached bytecode
// instead of compiling 2 MB of JavaScript again (Node >= 22.1; the cache lives in NODE_COMPILE_CACHE or the tmp dir).
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';

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
