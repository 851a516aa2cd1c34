import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, LaunchOptions } from 'puppeteer';

/** Debian's chromium unless CHROMIUM_PATH says otherwise; tests never download a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags proven on these machines (toolchain.md); the resolver rule comes from {@link buildHostResolverRules}. */
export const chromiumBaseArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * One `--host-resolver-rules` value (Chromium honours only one flag): each mapped host name goes to a local
 * `127.0.0.1:port`, everything else but loopback resolves to nothing.
 */
export function buildHostResolverRules(hostMap: Record<string, number> = {}): string {
  const maps = Object.entries(hostMap).map(([host, port]) => {
    if (!/^[a-z0-9.*-]+$/i.test(host)) throw new TypeError(`Expected \`host\` to be a host name, got \`${host}\``);
    if (!Number.isInteger(port) || port <= 0 || port > 65_535)
      throw new TypeError(`Expected \`port\` to be a TCP port, got \`${port}\``);
    return `MAP ${host} 127.0.0.1:${port}`;
  });
  return [...maps, 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost'].join(' , ');
}

/** Flags proven on these machines (toolchain.md), plus a resolver that only reaches loopback. */
export const chromiumArgs = [...chromiumBaseArgs, `--host-resolver-rules=${buildHostResolverRules()}`];

export interface ChromiumLaunchOptions extends LaunchOptions {
  /** Host names served locally, e.g. `{ 'www.goodreads.com': 8443 }`: the real match patterns then run. */
  hostMap?: Record<string, number>;
  /** Accept self-signed certificates (the local HTTPS sites of `https-site-server.ts`); tests only. */
  ignoreCertificateErrors?: boolean;
}

export interface LaunchedChromium {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile that is deleted on close. */
export async function launchChromium({
  hostMap,
  ignoreCertificateErrors = false,
  ...options
}: ChromiumLaunchOptions = {}): Promise<LaunchedChromium> {
  const { default: puppeteer } = await import('puppeteer');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'bookrelay-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    userDataDir,
    ...options,
    args: [
      ...chromiumBaseArgs,
      `--host-resolver-rules=${buildHostResolverRules(hostMap)}`,
      ...(ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
      ...(options.args ?? []),
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
