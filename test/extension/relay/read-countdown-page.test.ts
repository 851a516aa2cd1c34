import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCountdownPage } from '../../../extension/lib/read-countdown-page.js';
import { renderAaSlowDownloadPage } from '../../world/render-aa-countdown.js';

const real = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/real');
const read = (path: string) => readFileSync(join(real, path), 'utf8');
const shell = read('aa_md5/ball2jh__detail_page.html');
const md5 = '0123456789abcdef0123456789abcdef';
const page = `https://annas-archive.org/slow_download/${md5}/0/2`;
const urls = {
  long: 'https://partner.example/file/long%20name.epub',
  short: 'https://partner.example/annas-arch-1.epub',
};
const render = (input: Partial<Parameters<typeof renderAaSlowDownloadPage>[1]>) =>
  renderAaSlowDownloadPage(shell, { md5, serverNumber: 3, listRow: '', waitSeconds: 0, style: 'copy-url', ...input });

describe('readCountdownPage (a slow_download page, read in the service worker without a DOM)', () => {
  it('takes the copyable file URL of the real 2026 page', () => {
    expect(readCountdownPage(read('aa_slow_download/bowenmilner__download-copy-url_reduced.html'), page)).toEqual({
      kind: 'link',
      url: 'http://files.example:6060/example/long%20filename.epub',
    });
  });

  it('takes the "Download now" anchor of the 2024–25 template, resolved against the page', () => {
    const html = render({ urls: { long: '/file/x&y.epub', short: urls.short }, style: 'anchor' });
    expect(readCountdownPage(html, page)).toEqual({ kind: 'link', url: 'https://annas-archive.org/file/x&y.epub' });
  });

  it('waits out a countdown, and names refusals and walls', () => {
    expect(readCountdownPage(render({ waitSeconds: 45 }), page)).toEqual({ kind: 'wait', waitMs: 45_000 });
    expect(readCountdownPage(render({ refusal: 'official-only' }), page)).toMatchObject({ kind: 'refused' });
    expect(readCountdownPage(read('challenge/kxz69web__cf_managed_just_a_moment_2025-02-24.html'), page, 403)).toEqual({
      kind: 'challenge',
    });
    expect(readCountdownPage('<html><body>nothing here</body></html>', page)).toEqual({ kind: 'unknown' });
  });

  it('never takes the page itself, another AA page or a non-http link for the file', () => {
    const html = `<a href="/md5/${md5}">Download now</a><a href="javascript:alert(1)">Download now</a>
      <a href="${page}">Download now</a>`;
    expect(readCountdownPage(html, page)).toEqual({ kind: 'unknown' });
  });
});

describe('readCountdownPage on hostile input', () => {
  it('reads a huge page of unclosed anchors and stray markup without a link, and without choking', () => {
    const hostile = `${'<a href="javascript:x" '.repeat(60_000)}${'<span class="break-all">'.repeat(30_000)}`;
    expect(readCountdownPage(hostile, page)).toEqual({ kind: 'unknown' });
  });
});
