import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What a site answers for one request; undefined → 404. */
export interface SiteAnswer {
  status?: number;
  contentType?: string;
  body: string;
}

export type SiteHandler = (request: { host: string; url: URL }) => SiteAnswer | undefined;

export interface HttpsSiteServer {
  port: number;
  /** Every request seen, as `host + path?query`, for assertions. */
  requests: string[];
  close(): Promise<void>;
}

/** A throwaway self-signed certificate (one day, made with `openssl` in a temp dir) for local HTTPS sites. */
export function createSelfSignedCertificate(hosts: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bookrelay-cert-'));
  try {
    const san = ['localhost', ...hosts].map((host) => `DNS:${host}`).join(',');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=bookrelay-test-sites',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An HTTPS server on 127.0.0.1 that serves several sites by `Host` (Chromium reaches it through
 * `launchChromium({ hostMap, ignoreCertificateErrors: true })`), so pages load under their real https:// names.
 */
export async function startHttpsSiteServer(hosts: string[], handler: SiteHandler): Promise<HttpsSiteServer> {
  const requests: string[] = [];
  const server: Server = createServer(createSelfSignedCertificate(hosts), (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
    requests.push(`${host}${url.pathname}${url.search}`);
    let answer: SiteAnswer | undefined;
    try {
      answer = handler({ host, url });
    } catch (err) {
      answer = { status: 500, contentType: 'text/plain', body: String(err) };
    }
    const status = answer?.status ?? (answer ? 200 : 404);
    res.writeHead(status, {
      'content-type': answer?.contentType ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(answer?.body ?? 'Not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
