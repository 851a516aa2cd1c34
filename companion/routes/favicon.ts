import { Hono } from 'hono';
import { FAVICON_PNG_BASE64 } from '../ui/favicon.js';

const icon = Buffer.from(FAVICON_PNG_BASE64, 'base64');

/** GET /favicon.ico: the extension's icon (browsers take a PNG under that name); public, cached for a day. */
export const faviconRoutes = () =>
  new Hono().get('/favicon.ico', (c) =>
    c.body(new Uint8Array(icon), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
    }),
  );
