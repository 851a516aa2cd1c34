import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startLocalServer } from './net-test-server.js';

/**
 * A forward HTTP proxy on 127.0.0.1: CONNECT tunnels and absolute-form GETs. Records every target it was asked
 * for; `resolve` maps made-up host names to real addresses (the proxy resolves, not the client). `localAddress`
 * binds the proxy's outgoing connections (e.g. `127.0.0.2`: a browser behind it reaches loopback servers from
 * another address than the tests' own clients).
 */
export async function startHttpProxy(
  resolve: Record<string, string> = {},
  { localAddress }: { localAddress?: string } = {},
) {
  const targets: string[] = [];
  const tunnels = new Set<Socket>();
  const clients = new Set<Socket>();
  const proxy = await startLocalServer((req, res) => {
    const target = new URL(req.url ?? '/');
    targets.push(`${req.method} ${target.host}`);
    const forward = httpRequest(
      {
        host: resolve[target.hostname] ?? target.hostname,
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
        ...(localAddress ? { localAddress } : {}),
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
        // An origin that breaks off mid-body breaks the client's connection too (never a silently short body).
        upstream.on('close', () => {
          if (!upstream.complete) res.destroy();
        });
      },
    );
    forward.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    // A client that goes away mid-request takes its upstream request with it (as a real proxy does).
    res.on('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    req.pipe(forward);
  });
  proxy.server.on('connection', (socket: Socket) => {
    clients.add(socket);
    socket.once('close', () => clients.delete(socket));
  });
  proxy.server.on('connect', (req, client: Socket, head: Buffer) => {
    targets.push(`CONNECT ${req.url}`);
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    const upstream = connect(
      { port: Number(port), host: resolve[host] ?? host, ...(localAddress ? { localAddress } : {}) },
      () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        client.pipe(upstream).pipe(client);
      },
    );
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
      socket.on('error', () => socket.destroy());
    }
  });
  return {
    url: proxy.origin,
    targets,
    /** Cuts every connection open right now (the clients see a dropped connection mid-request). */
    dropConnections(): void {
      for (const socket of [...clients, ...tunnels]) socket.destroy();
    },
    async close() {
      for (const socket of tunnels) socket.destroy();
      await proxy.close();
    },
  };
}
