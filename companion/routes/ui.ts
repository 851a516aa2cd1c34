import { type Context, Hono } from 'hono';
import { loadPageAssets, type PageAssets } from '../ui/page-assets.js';
import { renderPage } from '../ui/render-page.js';

/** Strict: the page loads nothing from other hosts (covers come through `/api/covers/:md5`), no inline script. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PAGE_HEADERS = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** The web UI (the page holds no data itself; its API calls need credentials). CWA-BD served it at / and /request. */
export const uiRoutes = () => {
  let assets: Promise<PageAssets> | undefined;
  const load = () => {
    assets ??= loadPageAssets().catch((err: unknown) => {
      assets = undefined;
      throw err;
    });
    return assets;
  };
  const html = async (c: Context) => {
    const { script, style } = await load();
    // Relative asset paths, so the page works at / and /request (CWA-BD's path) alike.
    const base = c.req.path.startsWith('/request') ? '/request/' : '/';
    return c.html(
      renderPage({ script: `${base}assets/${script}`, style: `${base}assets/${style}` }),
      200,
      PAGE_HEADERS,
    );
  };
  const asset = async (c: Context) => {
    const file = (await load()).files.get(c.req.param('name') ?? '');
    if (!file) return c.json({ error: 'Resource not found', code: 'not-found' }, 404);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.type,
      'X-Content-Type-Options': 'nosniff',
      // Hashed names: a new build is a new name.
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  };
  return (
    new Hono()
      // GET / and /request (the page), /assets/:name and /request/assets/:name (its hashed script and styles)
      .get('/', html)
      .get('/request', html)
      .get('/assets/:name', asset)
      .get('/request/assets/:name', asset)
  );
};
