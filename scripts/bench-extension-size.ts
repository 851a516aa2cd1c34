// Extension bundle size for `npm run bench` (issue 10's goal: background + popup + content script ≤ 150 KB minified).
// A browser loads the background, the popup page and one site's content script at a time, so the goal is checked
// on that sum (with the largest content script); what the package ships in total is printed beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUILD = '.output/chrome-mv3';
export const EXTENSION_SIZE_GOAL_BYTES = 150 * 1000;

function listJs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listJs(full);
    return name.endsWith('.js') ? [full] : [];
  });
}

/** The scripts `popup.html` loads: its module entry and the chunks it preloads. */
function popupScripts(): string[] {
  const html = readFileSync(path.join(BUILD, 'popup.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => path.join(BUILD, m[1] ?? ''));
}

const size = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);

export interface ExtensionSize {
  backgroundBytes: number;
  popupBytes: number;
  largestContentScript: { name: string; bytes: number };
  contentScriptCount: number;
  /** Background + popup + the largest content script: what one browser loads at a time. */
  perLoadBytes: number;
  perLoadGzipBytes: number;
  /** Every script the Chrome build ships (all content scripts, options page too). */
  shippedBytes: number;
}

export function measureExtensionSize(): ExtensionSize {
  if (!existsSync(path.join(BUILD, 'manifest.json'))) execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
  const background = path.join(BUILD, 'background.js');
  const popup = popupScripts();
  const contents = listJs(path.join(BUILD, 'content-scripts')).map((file) => ({
    file,
    name: path.basename(file, '.js'),
    bytes: statSync(file).size,
  }));
  const largest = contents.sort((a, b) => b.bytes - a.bytes)[0];
  const perLoad = [background, ...popup, ...(largest ? [largest.file] : [])];
  return {
    backgroundBytes: size([background]),
    popupBytes: size(popup),
    largestContentScript: { name: largest?.name ?? '-', bytes: largest?.bytes ?? 0 },
    contentScriptCount: contents.length,
    perLoadBytes: size(perLoad),
    perLoadGzipBytes: gzipSync(Buffer.concat(perLoad.map((file) => readFileSync(file)))).length,
    shippedBytes: size(listJs(BUILD)),
  };
}
