import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** `::ffff:192.0.2.1` → `192.0.2.1`, so IPv4 clients of a dual-stack socket match IPv4 rules. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

function contains(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address for rate limits and logs. `X-Forwarded-For` is honoured only when the socket's peer is one of
 * `trustProxy` (TRUST_PROXY: addresses or CIDRs); then the right-most entry that is not itself a trusted proxy is the
 * client. Anyone else sending the header is ignored, or they could pick a fresh address for every guess.
 */
export function createClientAddress({
  trustProxy = [],
}: {
  trustProxy?: readonly string[];
} = {}): (c: Context) => string {
  const trusted = new BlockList();
  for (const entry of trustProxy) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(bits), type);
  }
  return (c) => {
    let peer = 'unknown';
    try {
      peer = plain(getConnInfo(c).remote.address ?? 'unknown');
    } catch {
      // app.request() in tests has no socket.
    }
    if (trustProxy.length === 0 || !contains(trusted, peer)) return peer;
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((hop) => plain(hop.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (isIP(hop) === 0) return peer;
      if (!contains(trusted, hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}
