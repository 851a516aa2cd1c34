// `npm start`: builds what is missing or stale (companion bundle, Chrome and Firefox extension), then runs the companion
// in the foreground on embedded defaults. Needs no network.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

function run(script) {
  const result = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (isStale('dist/server.js', ['companion', 'shared', 'ui-kit'])) run('build:companion');
if (isStale('.output/chrome-mv3/manifest.json', ['extension', 'shared', 'ui-kit'])) run('build:ext');
if (isStale('.output/firefox-mv3/manifest.json', ['extension', 'shared', 'ui-kit'])) run('build:ext:firefox');

process.stdout.write(
  [
    '',
    'Bookrelay extension builds (load unpacked):',
    `  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → ${path.join(root, '.output/chrome-mv3')}`,
    `  Firefox:         about:debugging → Load Temporary Add-on → ${path.join(root, '.output/firefox-mv3/manifest.json')}`,
    '',
  ].join('\n'),
);

await import(path.join(root, 'dist/server.js'));
