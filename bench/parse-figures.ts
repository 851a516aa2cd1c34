// Parse time of each real AA search capture: the whole parser (tree + row extraction) against the tree alone as
// cheerio's default load builds it (parse5), which is what the parser used before (issue 14: 130–163 ms a page).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPage } from '../companion/sources/annas-archive/load-page.js';
import { parseSearchPage } from '../companion/sources/annas-archive/parse-search-page.js';
import { type AddRow, fmt, median } from './table.js';

const CAPTURES = 'test/fixtures/real/aa_search';
const RUNS = 15;

function time(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function benchSearchParse(add: AddRow): void {
  for (const name of readdirSync(CAPTURES)
    .filter((f) => f.endsWith('.html'))
    .sort()) {
    const html = readFileSync(path.join(CAPTURES, name), 'utf8');
    const result = parseSearchPage(html, 'https://annas-archive.org/search?q=x');
    const rows = result.ok ? result.value.length : 0;
    // Warm up both paths, then time them alternately.
    time(() => parseSearchPage(html, 'https://annas-archive.org/search?q=x'));
    const ours = time(() => parseSearchPage(html, 'https://annas-archive.org/search?q=x'));
    const parse5 = time(() => loadPage(html, 'html5'));
    // The goal is stated for a 50-row page: scaled by rows for bigger pages, so a 200-row page has 40 ms.
    const goalMs = 10 * Math.max(1, rows / 50);
    add({
      figure: `parse AA search capture ${name.replace(/\.html$/, '')} (${rows} rows, ${Math.round(html.length / 1024)} KiB; ms, median of ${RUNS})`,
      ours: fmt(ours),
      baseline: `${fmt(parse5)} (parse5 tree alone, the old load)`,
      ratio: `${fmt(ours / parse5, 2)}×`,
      goal: `≤ ${fmt(goalMs, 0)} ms`,
      met: ours <= goalMs,
      values: { oursMs: ours, parse5Ms: parse5, rows },
    });
  }
}
