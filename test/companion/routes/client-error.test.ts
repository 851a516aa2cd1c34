import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrorsWithJson } from '../../../companion/routes/client-error.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

/** Sends raw bytes and reads everything until the server closes the connection. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    // The server may answer and close before it has read everything we send.
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve(text) : reject(err),
    );
    socket.write(request);
  });
}

function parse(response: string): { status: number; headers: string; body: string } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head, body };
}

describe('requests Node refuses before the app', () => {
  let world: World;
  let t: TestCompanion;
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
    server = serve({ fetch: t.companion.app.fetch, hostname: '127.0.0.1', port: 0 });
    answerClientErrorsWithJson(server as Server);
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await world.close();
  });

  it('a 1 MB query string is a 431 with a JSON error', async () => {
    const query = 'q'.repeat(1024 * 1024);
    const res = parse(await rawExchange(port, `GET /api/search?query=${query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body)).toEqual({ error: 'Request URL or headers are too large', code: 'bad-request' });
  });

  it('a malformed request line is a 400 with a JSON error', async () => {
    const res = parse(await rawExchange(port, 'GARBAGE\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'bad-request' });
  });
});
