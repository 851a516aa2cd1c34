import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { loadUndici } from './load-undici.js';

/** The proxy part of `Config.net`. */
export interface ProxySettings {
  httpProxy?: string | undefined;
  httpsProxy?: string | undefined;
  noProxy?: string | undefined;
  socks5Proxy?: string | undefined;
}

export interface DispatcherOptions {
  proxy?: ProxySettings;
  /** Replaces the system resolver for direct connections (CUSTOM_DNS / USE_DOH); proxies resolve for themselves. */
  lookup?: LookupFunction;
  connectTimeoutMs: number;
  allowH2?: boolean;
}

/**
 * The one keep-alive dispatcher every request shares: a SOCKS5 tunnel when SOCKS5_PROXY is set (the proxy
 * resolves names, as Tor needs), an HTTP(S) proxy with NO_PROXY when those are set, otherwise direct.
 */
export async function createDispatcher({
  proxy = {},
  lookup,
  connectTimeoutMs,
  allowH2 = false,
}: DispatcherOptions): Promise<Dispatcher> {
  const { Agent, buildConnector, EnvHttpProxyAgent, Socks5ProxyAgent } = await loadUndici();
  const connect = { timeout: connectTimeoutMs, ...(lookup ? { lookup } : {}) };
  const pooling = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, allowH2 };
  if (proxy.socks5Proxy) {
    // socks5h:// is the curl spelling for "let the proxy resolve"; undici always sends the name, so they are the same.
    const url = new URL(proxy.socks5Proxy.replace(/^socks5h:/i, 'socks5:'));
    return new Socks5ProxyAgent(url, { connect: buildConnector({ timeout: connectTimeoutMs }) });
  }
  if (proxy.httpProxy || proxy.httpsProxy) {
    // Empty strings (not undefined) stop undici from falling back to process.env: config is the only source.
    return new EnvHttpProxyAgent({
      ...pooling,
      connect,
      httpProxy: proxy.httpProxy ?? '',
      // CWA-BD's http mode uses HTTP_PROXY for https targets too when HTTPS_PROXY is empty.
      httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? '',
      noProxy: proxy.noProxy ?? '',
    });
  }
  return new Agent({ ...pooling, connect });
}
