// Runs every HTML parser over every real capture (and the synthetic fixtures) and prints one JSON document:
// a before/after check that a parser change leaves every result identical. `tsx bench/parser-snapshot.ts > a.json`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCountdownPage } from '../companion/sources/annas-archive/parse-countdown-page.js';
import { parseRecordPage } from '../companion/sources/annas-archive/parse-record-page.js';
import { parseSearchPage } from '../companion/sources/annas-archive/parse-search-page.js';
import { parseLibgenAdsPage } from '../companion/sources/libgen/parse-ads-page.js';
import { parseLibgenRsBookFragment } from '../companion/sources/libgen/parse-book-fragment.js';
import { parseLibgenSearchPage } from '../companion/sources/libgen/parse-search-page.js';
import { parseZlibBookPage } from '../companion/sources/zlib/parse-book-page.js';
import { parseZlibSearchPage } from '../companion/sources/zlib/parse-search-page.js';

const parsers: Record<string, (html: string, url: string) => unknown> = {
  aaSearch: (h) => parseSearchPage(h, 'https://annas-archive.org/search?q=x'),
  aaRecord: (h) => parseRecordPage(h, 'https://annas-archive.org/md5/0123456789abcdef0123456789abcdef'),
  aaCountdown: (h) => parseCountdownPage(h, 'https://annas-archive.org/slow_download/x/0/1'),
  libgenAds: (h) => parseLibgenAdsPage(h, 'https://libgen.li/ads.php?md5=x'),
  libgenFragment: (h) => parseLibgenRsBookFragment(h, 'https://libgen.rs/book/index.php?md5=x'),
  libgenSearch: (h) => parseLibgenSearchPage(h, 'https://libgen.li/index.php?req=x'),
  zlibBook: (h) => parseZlibBookPage(h, 'https://z-lib.fm/book/1/x'),
  zlibSearch: (h) => parseZlibSearchPage(h, 'https://z-lib.fm/s/x'),
};

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full);
    return /\.html?$/.test(name) ? [full] : [];
  });
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['/work/shared/fixtures/real', 'test/fixtures']).flatMap(htmlFiles).sort();
const out: Record<string, Record<string, unknown>> = {};
for (const file of files) {
  const html = readFileSync(file, 'utf8');
  out[file] = {};
  for (const [name, parse] of Object.entries(parsers)) {
    try {
      out[file][name] = parse(html, '');
    } catch (err) {
      out[file][name] = { threw: String(err) };
    }
  }
}
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
