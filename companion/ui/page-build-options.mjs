// esbuild options for the web UI page (companion/ui/app), shared by scripts/build-companion.mjs (to dist/ui) and
// the companion run from source (an in-memory build on first request).
import path from 'node:path';

/** @param {string} root the repository root */
export function pageBuildOptions(root) {
  return {
    entryPoints: [path.join(root, 'companion/ui/app/main.tsx'), path.join(root, 'companion/ui/app/page.css')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}
