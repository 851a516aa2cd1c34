import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createClientAddress } from '../../../companion/auth/client-address.js';
import { loadConfig } from '../../../companion/config.js';

async function addressSeen(trustProxy: string[], forwardedFor?: string): Promise<string> {
  const read = createClientAddress({ trustProxy });
  const app = new Hono().get('/', (c) => c.text(read(c)));
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    });
    return await res.text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('client address and TRUST_PROXY', () => {
  it('ignores X-Forwarded-For unless the peer is a configured proxy', async () => {
    expect(await addressSeen([], '198.51.100.7')).toBe('127.0.0.1');
    expect(await addressSeen(['10.0.0.0/8'], '198.51.100.7')).toBe('127.0.0.1');
  });

  it('from a trusted proxy, takes the right-most address that is not a trusted proxy', async () => {
    expect(await addressSeen(['127.0.0.1'], '198.51.100.7')).toBe('198.51.100.7');
    // A client cannot pick its address by prepending one: the proxy appends the real peer on the right.
    expect(await addressSeen(['127.0.0.0/8', '10.0.0.0/8'], '1.2.3.4, 198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
    expect(await addressSeen(['127.0.0.1'], 'not-an-ip')).toBe('127.0.0.1');
    expect(await addressSeen(['127.0.0.1'])).toBe('127.0.0.1');
  });

  it('TRUST_PROXY accepts addresses and CIDRs and names the variable on a bad entry', () => {
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 172.16.0.0/12, ::1, fd00::/8' }).server.trustProxy).toEqual([
      '127.0.0.1',
      '172.16.0.0/12',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['proxy.lan', '10.0.0.0/33', '1.2.3.4/8/1', 'true']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});
