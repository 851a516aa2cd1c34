import { render } from 'preact';
import {
  findAnnasArchiveTitle,
  readAnnasArchiveRecord,
  readMd5FromPath,
  readOwnTitle,
} from '../lib/book-identity/read-annas-archive-record.js';
import { ROW_SEND_CSS, RowSendButton } from '../ui/row-send-button.js';
import type { BookSite } from './book-site.js';

// AA moves between domains; these are the ones seen in captures and issues (page-structures.md).
const DOMAINS = ['annas-archive.org', 'annas-archive.li', 'annas-archive.se', 'annas-archive.gl', 'annas-archive.in'];

/** The per-row host element; each holds a shadow root with one {@link RowSendButton}. */
export const ROW_HOST_NAME = 'bookrelay-row-send';

/** One Send per search result: after the 2026 title link, or after the whole-row link of older layouts. */
export function mountRowButtons(doc: Document, url: URL, signal: AbortSignal): number {
  if (!url.pathname.startsWith('/search')) return 0;
  const seen = new Set<string>();
  let mounted = 0;
  for (const link of doc.querySelectorAll<HTMLAnchorElement>('a[href*="/md5/"]')) {
    const md5 = readMd5FromPath(new URL(link.getAttribute('href') ?? '', url).pathname);
    if (!md5 || seen.has(md5)) continue;
    // A row links its md5 several times (cover, title); the title link (or the row link) comes with text.
    const title = readOwnTitle(link.querySelector('h3, div.text-xl, .line-clamp-\\[3\\]') ?? link);
    if (!title) continue;
    seen.add(md5);
    const host = doc.createElement(ROW_HOST_NAME);
    const shadow = host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = ROW_SEND_CSS;
    const container = doc.createElement('span');
    shadow.append(style, container);
    link.after(host);
    render(<RowSendButton md5={md5} title={title.slice(0, 300)} />, container);
    mounted++;
    signal.addEventListener('abort', () => {
      render(null, container);
      host.remove();
    });
  }
  return mounted;
}

/** Anna's Archive: *Send* on `/md5/` records queues exactly that md5; search pages get a Send per row. */
export const annasArchiveButtons: BookSite = {
  site: 'annas-archive',
  matches: DOMAINS.flatMap((domain) => [`*://${domain}/*`, `*://*.${domain}/*`]),
  isBookUrl: (url) => readMd5FromPath(url.pathname) !== undefined,
  read: readAnnasArchiveRecord,
  findAnchor: findAnnasArchiveTitle,
  mountExtras: (doc, url, signal) => {
    mountRowButtons(doc, url, signal);
  },
};
