import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { CounterStore } from './counters.js';
import type { FaultEngine } from './faults.js';
import type { GateEngine } from './gates.js';
import { findMd5, type OriginName } from './origin-name.js';
import { type BodyPlan, buildFaultResponse, sendResponse, sleep } from './send-response.js';

/** Per-request values origin apps read from `c.env`. */
export interface OriginEnv {
  clientIp: string;
}

export interface OriginApp {
  fetch(request: Request, env: OriginEnv): Response | Promise<Response>;
}

export interface OriginServerDeps {
  name: OriginName;
  app: OriginApp;
  faults: FaultEngine;
  gates: GateEngine;
  counters: CounterStore;
  /** Body throughput limit for this origin in bytes/s, read per request (undefined = unlimited). */
  throughput: () => number | undefined;
}

export interface OriginServer {
  url: string;
  /** Stops listening (new connections are refused) and drops open ones; `true` listens again on the same port. */
  setListening(listening: boolean): Promise<void>;
  close(): Promise<void>;
}

const defaultSlowBytesPerSecond = 64 * 1024;

function normaliseIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

function toWebRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
}

/** Starts one origin on 127.0.0.1 (port 0): counters, gates and faults wrap the origin's Hono app. */
export async function startOriginServer(deps: OriginServerDeps): Promise<OriginServer> {
  const { name, app, faults, gates, counters } = deps;
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const md5 = findMd5(url);
    const clientIp = normaliseIp(req.socket.remoteAddress);
    const record = counters.start({
      origin: name,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      ...(md5 ? { md5 } : {}),
      userAgent: req.headers['user-agent'] ?? '',
      clientIp,
      ...(req.headers.range ? { range: req.headers.range } : {}),
    });
    const request = toWebRequest(req, url);
    const gateRequest = { origin: name, url, method: record.method, headers: request.headers, clientIp };

    const worldRoute = gates.handleWorldRoute(gateRequest);
    if (worldRoute) return sendResponse(req, res, worldRoute, {}, record);

    const verdict = gates.check(gateRequest);
    if (verdict) record.gate = { kind: verdict.kind, result: verdict.result };
    if (verdict?.response) return sendResponse(req, res, verdict.response, {}, record);

    const fault = faults.take({ origin: name, path: url.pathname, ...(md5 ? { md5 } : {}) });
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'dead') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status' || fault?.kind === 'html-instead') {
      return sendResponse(req, res, buildFaultResponse(fault), {}, record);
    }
    if (fault?.kind === 'slow' && fault.headerDelayMs) await sleep(fault.headerDelayMs);

    // A server that ignores Range: the app never sees the header (the record keeps what the client sent).
    if (fault?.kind === 'ignore-range') request.headers.delete('range');
    const from = /^bytes=(\d+)-$/.exec(request.headers.get('range') ?? '')?.[1];
    if (fault?.kind === 'shift-range' && from) request.headers.set('range', `bytes=${Number(from) + fault.by}-`);
    const response = await app.fetch(request, { clientIp });
    const plan: BodyPlan = {};
    const limit = deps.throughput();
    if (limit) plan.bytesPerSecond = limit;
    if (fault?.kind === 'slow') plan.bytesPerSecond = fault.bytesPerSecond ?? defaultSlowBytesPerSecond;
    if (fault?.kind === 'drop-after') plan.dropAfter = fault.bytes;
    if (fault?.kind === 'wrong-bytes') plan.wrongBytes = (fault.variant ?? 0x5a) & 0xff || 0x5a;
    return sendResponse(req, res, response, plan, record);
  }

  let base = '';
  const server = createServer((req, res) => {
    handle(req, res, base).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`world ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (faults.take({ origin: name, connection: true })) {
      counters.start({
        origin: name,
        method: '',
        path: '',
        query: '',
        userAgent: '',
        clientIp: normaliseIp(socket.remoteAddress),
        fault: 'dead',
      });
      socket.destroy();
    }
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await listen(0);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`Expected world origin ${name} to listen on a port`);
  const port = address.port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    async setListening(listening) {
      if (!listening) return stop();
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}
