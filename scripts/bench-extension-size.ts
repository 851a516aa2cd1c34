// Extension bundle size for `npm run bench` (issue 10's goal: background + popup + content scripts ≤ 150 KB
// minified in total). Reads the Chrome MV3 build; builds it first when missing.
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

/** Bytes of every script the Chrome build ships, grouped by part, plus the gzip size of the whole. */
export function measureExtensionSize(): {
  parts: { part: string; bytes: number }[];
  totalBytes: number;
  gzipBytes: number;
} {
  if (!existsSync(path.join(BUILD, 'manifest.json'))) execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
  const files = listJs(BUILD);
  const partOf = (file: string) => {
    const rel = path.relative(BUILD, file);
    if (rel === 'background.js') return 'background';
    if (rel.startsWith('content-scripts')) return 'content scripts';
    return 'pages (popup, options) and shared chunks';
  };
  const byPart = new Map<string, number>();
  let all = Buffer.alloc(0);
  for (const file of files) {
    const body = readFileSync(file);
    byPart.set(partOf(file), (byPart.get(partOf(file)) ?? 0) + body.length);
    all = Buffer.concat([all, body]);
  }
  const parts = [...byPart].map(([part, bytes]) => ({ part, bytes }));
  return { parts, totalBytes: all.length, gzipBytes: gzipSync(all).length };
}
