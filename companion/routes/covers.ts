import { Hono } from 'hono';
import type { Covers } from '../covers/covers.js';
import { readBookId } from './read-params.js';

/** Covers for the web UI, so its page loads no third-party host (its CSP allows `img-src 'self' data:` only). */
export const coversRoutes = ({ covers }: { covers: Covers }) =>
  new Hono()
    // GET /api/covers/:md5
    .get('/covers/:md5', async (c) => {
      const cover = await covers.get(readBookId(c.req.param('md5')));
      if (!cover) return c.json({ error: 'No cover for this book', code: 'not-found' }, 404);
      return c.body(cover.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': cover.type,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
        'Cache-Control': 'private, max-age=604800',
      });
    });
