import { Hono } from 'hono';
import { captureFiles, readCapture } from './captures.js';
import type { Catalogue, WorldBook } from './catalogue.js';
import { answerFastDownload, type FastDownloadAccounts, type FastDownloadState } from './fast-download-api.js';
import type { OriginEnv } from './origin-server.js';
import type { PartnerLinks } from './partner-links.js';
import { renderAaSlowDownloadPage, type SlowLinkStyle, type SlowRefusal } from './render-aa-countdown.js';
import { renderAaNotFoundPage, renderAaRecordPage, renderInAaShell } from './render-aa-record.js';
import { renderAaListRow, renderAaSearchPage } from './render-aa-search.js';
import { buildPartnerFileName } from './serve-book-file.js';

/** State shared by the AA origin and its mirrors (one site behind several hosts). */
export interface AaState {
  /** First visit per `client address + slow_download path`, for the countdown. */
  slowVisits: Map<string, number>;
  fast: FastDownloadState;
}

export interface AaSettings {
  countdownSeconds: number;
  slowLinkStyle: SlowLinkStyle;
  keepCapturedRows: boolean;
  slowRefusal: SlowRefusal | undefined;
}

export interface AaDeps {
  catalogue: Catalogue;
  state: AaState;
  settings: AaSettings;
  accounts: FastDownloadAccounts;
  /** Issues the tokens in partner links (checked by the partner when a lifetime is set). */
  links: PartnerLinks;
  /** Origins are only known once every server listens, so they are read lazily. */
  origins: () => { aa: string; aaMirrors: string[]; partner: string; libgen: string; zlib: string };
  now?: () => number;
  /** Where this host serves search: `/search` (default), or `/s/` as one 2026 mirror does (then `/search` is 404). */
  searchPath?: string;
}

const html = { 'content-type': 'text/html; charset=utf-8' };

/** Creates empty AA state (cleared by `world.reset()`). */
export function createAaState(): AaState {
  return { slowVisits: new Map(), fast: { recentlyDownloaded: [] } };
}

const toWords = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

// AA's advanced-search terms: termtype_N (author, title, …) with termval_N.
function readTerms(query: URLSearchParams): Array<{ type: string; words: string[] }> {
  const terms: Array<{ type: string; words: string[] }> = [];
  for (let n = 1; query.has(`termtype_${n}`); n++) {
    terms.push({ type: query.get(`termtype_${n}`) ?? '', words: toWords(query.get(`termval_${n}`) ?? '') });
  }
  return terms;
}

/**
 * Books whose title/author/publisher/year contain every `q` word (or whose md5/isbn13 is one of them), narrowed by
 * `termtype_N`/`termval_N` (author, title) and the `ext`/`lang` filters, as AA does. `display` is ignored.
 */
export function searchBooks(books: WorldBook[], query: URLSearchParams): WorldBook[] {
  const q = query.get('q') ?? '';
  if (q.includes('zzznoresults')) return [];
  const words = toWords(q);
  const terms = readTerms(query);
  const exts = query.getAll('ext').map((e) => e.toLowerCase());
  const langs = query.getAll('lang').map((l) => l.toLowerCase());
  return books.filter((book) => {
    if (exts.length > 0 && !exts.includes(book.format)) return false;
    if (langs.length > 0 && !langs.includes(book.language)) return false;
    const hay = [book.title, book.author, book.publisher ?? '', book.year].join(' ').toLowerCase();
    for (const term of terms) {
      const field = term.type === 'author' ? book.author : term.type === 'title' ? book.title : hay;
      if (!term.words.every((word) => field.toLowerCase().includes(word))) return false;
    }
    const ids = [book.md5, book.isbn13 ?? ''];
    if (words.some((word) => ids.includes(word))) return true;
    return words.every((word) => hay.includes(word));
  });
}

// The 2026 pages list their sister domains under "Alternatives"; point them at the world's AA origins.
const capturedAlternatives = ['https://annas-archive.gl', 'https://annas-archive.pk', 'https://annas-archive.gd'];

/** Rewrites the "Alternatives" mirror links of a 2026 AA page to the world's AA origin and mirrors. */
export function rewriteAlternatives(html: string, origins: { aa: string; aaMirrors: string[] }): string {
  const targets = [origins.aa, ...origins.aaMirrors];
  return capturedAlternatives.reduce((page, captured, index) => {
    const target = targets[index];
    return target ? page.replaceAll(`href="${captured}"`, `href="${target}"`) : page;
  }, html);
}

function buildPartnerUrl(partner: string, book: WorldBook, token: string, fileName: string): string {
  return `${partner}/file/${book.md5}/${token}/${encodeURIComponent(fileName)}`;
}

/** Anna's Archive: home, search, record pages, slow_download countdown and the fast-download JSON API. */
export function createAaApp(deps: AaDeps) {
  const { catalogue, state, settings, accounts } = deps;
  const now = deps.now ?? Date.now;
  const searchPath = deps.searchPath ?? '/search';
  // A mirror with another search path says so in its pages' search forms, as the real one does.
  const withSearchPath = (body: string) =>
    searchPath === '/search' ? body : body.replaceAll('action="/search"', `action="${searchPath}"`);
  const withWorldLinks = (body: string) => withSearchPath(rewriteAlternatives(body, deps.origins()));

  return (
    new Hono<{ Bindings: OriginEnv }>()
      // GET / — the real homepage (mirror probes expect a 200 AA page here)
      .get('/', (c) => c.body(withSearchPath(readCapture(captureFiles.aaHome)), 200, html))
      // GET /search?q=… (or the mirror's own search path)
      .get(searchPath, (c) => {
        const query = new URL(c.req.url).searchParams;
        const hits = searchBooks(catalogue.books, query);
        const page = renderAaSearchPage(readCapture(captureFiles.aaSearch), query.get('q') ?? '', hits, {
          keepCapturedRows: settings.keepCapturedRows,
        });
        return c.body(withWorldLinks(page), 200, html);
      })
      // GET /md5/:md5
      .get('/md5/:md5', (c) => {
        const book = catalogue.findBook(c.req.param('md5'));
        const capture = readCapture(captureFiles.aaRecord);
        if (!book) return c.body(withWorldLinks(renderAaNotFoundPage(capture, c.req.param('md5'))), 404, html);
        return c.body(withWorldLinks(renderAaRecordPage(capture, book, deps.origins())), 200, html);
      })
      // GET /slow_download/:md5/:pathIndex/:domainIndex — countdown, then the partner link
      .get('/slow_download/:md5/:pathIndex/:domainIndex', (c) => {
        const book = catalogue.findBook(c.req.param('md5'));
        const capture = readCapture(captureFiles.aaRecord);
        if (!book) return c.body(withWorldLinks(renderAaNotFoundPage(capture, c.req.param('md5'))), 404, html);
        const visitKey = `${c.env.clientIp} ${new URL(c.req.url).pathname}`;
        const firstVisit = state.slowVisits.get(visitKey) ?? now();
        state.slowVisits.set(visitKey, firstVisit);
        const waitMs = settings.countdownSeconds * 1000 - (now() - firstVisit);
        const ready = waitMs <= 0;
        const t = deps.links.issue(book.md5);
        const partner = deps.origins().partner;
        const page = renderAaSlowDownloadPage(capture, {
          md5: book.md5,
          serverNumber: Number(c.req.param('domainIndex')) + 1,
          listRow: renderAaListRow(readCapture(captureFiles.aaSearch), book),
          waitSeconds: ready ? 0 : Math.ceil(waitMs / 1000),
          ...(ready
            ? {
                urls: {
                  long: buildPartnerUrl(partner, book, t, buildPartnerFileName(book)),
                  short: buildPartnerUrl(partner, book, t, `annas-arch-${book.md5.slice(0, 12)}.${book.format}`),
                },
              }
            : {}),
          style: settings.slowLinkStyle,
          ...(settings.slowRefusal ? { refusal: settings.slowRefusal } : {}),
        });
        return c.body(withWorldLinks(page), 200, html);
      })
      // GET /dyn/api/fast_download.json?md5=&key=
      .get('/dyn/api/fast_download.json', (c) =>
        answerFastDownload(new URL(c.req.url).searchParams, {
          accounts,
          state: state.fast,
          findBook: (md5) => catalogue.findBook(md5),
          buildUrl: (book) =>
            buildPartnerUrl(deps.origins().partner, book, deps.links.issue(book.md5), buildPartnerFileName(book)),
        }),
      )
      // GET /fast_download/:md5/:pathIndex/:domainIndex — the world has no member sessions, like a logged-out browser
      .get('/fast_download/:md5/:pathIndex/:domainIndex', (c) => c.redirect('/fast_download_not_member', 302))
      // GET /fast_download_not_member — AA's strings page.fast_downloads.no_member* [template]
      .get('/fast_download_not_member', (c) => {
        const main =
          '  <p class="mb-4 text-xl font-bold">Become a member to use fast downloads.</p>\n  <p class="mb-4">We now support Amazon gift cards, credit and debit cards, crypto, Alipay, and WeChat.</p>';
        return c.body(
          withWorldLinks(renderInAaShell(readCapture(captureFiles.aaRecord), 'Fast downloads', main)),
          200,
          html,
        );
      })
      .notFound((c) => c.body(withWorldLinks(renderAaNotFoundPage(readCapture(captureFiles.aaRecord), '')), 404, html))
  );
}
