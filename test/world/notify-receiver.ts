import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** 1-based count of requests this receiver had seen when this one arrived. */
  attempt: number;
  status: number;
}

export interface NotifyReceiver {
  /** Base URL; a webhook or an ntfy topic URL is this plus any path (`/hook`, `/bookrelay-topic`). */
  url: string;
  requests: ReceivedRequest[];
  /** Requests that were answered 2xx. */
  accepted(): ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A local webhook / ntfy receiver that records every request; `failFirst` makes it answer 503 that many times
 * before it accepts (ntfy answers `{"id": …}`, a webhook 204).
 */
export async function startNotifyReceiver({ failFirst = 0 } = {}): Promise<NotifyReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const attempt = requests.length + 1;
      const status = attempt <= failFirst ? 503 : 200;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        attempt,
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ id: `msg-${attempt}`, event: 'message' }) : '{"error":"busy"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    accepted: () => requests.filter((r) => r.status === 200),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
