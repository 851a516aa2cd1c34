import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  createNetworkErrorClassifier,
  isLocalNetworkHost,
} from '../../../extension/lib/classify-network-error.js';

const lan = new URL('http://192.168.1.10:8084/api/ping');
const loopback = new URL('http://127.0.0.1:8084/api/ping');
const publicHttps = new URL('https://books.example.org/api/ping');

// Chrome's own wording for an LNA refusal, as reported in extension-notes.md §0.7.
const lnaError = new TypeError('Failed to fetch', {
  cause: new Error('Permission was denied for this request to access the `local` address space.'),
});

describe('classifyNetworkError', () => {
  it.each([
    ['Chrome LNA wording in the cause', lnaError, lan, { browser: 'chrome' }, 'local-network-blocked'],
    [
      'Private Network Access wording',
      new TypeError('Private network access blocked'),
      lan,
      { browser: 'chrome' },
      'local-network-blocked',
    ],
    [
      'LNA permission denied, LAN host',
      new TypeError('Failed to fetch'),
      lan,
      { browser: 'chrome', localNetworkAccess: 'denied' },
      'local-network-blocked',
    ],
    [
      'LNA permission denied, public host',
      new TypeError('Failed to fetch'),
      publicHttps,
      { browser: 'chrome', localNetworkAccess: 'denied' },
      'unreachable',
    ],
    [
      'LNA granted, plain failure',
      new TypeError('Failed to fetch'),
      loopback,
      { browser: 'chrome', localNetworkAccess: 'granted' },
      'unreachable',
    ],
    [
      'Firefox, http:, TLS failure after an upgrade',
      new TypeError('NetworkError when attempting to fetch resource.', {
        cause: new Error('SSL_ERROR_RX_RECORD_TOO_LONG'),
      }),
      lan,
      { browser: 'firefox' },
      'https-upgrade',
    ],
    [
      'Firefox, https:, TLS failure',
      new TypeError('SSL_ERROR_BAD_CERT_DOMAIN'),
      publicHttps,
      { browser: 'firefox' },
      'unreachable',
    ],
    ['Chrome, http:, TLS wording', new TypeError('ERR_SSL_PROTOCOL_ERROR'), lan, { browser: 'chrome' }, 'unreachable'],
    ['a non-Error value', 'boom', lan, { browser: 'chrome' }, 'unreachable'],
  ] as const)('%s', (_name, err, url, context, reason) => {
    expect(classifyNetworkError(err, url, context)).toBe(reason);
  });
});

describe('isLocalNetworkHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['[::1]', true],
    ['10.0.0.5', true],
    ['172.20.1.1', true],
    ['172.32.1.1', false],
    ['192.168.178.2', true],
    ['169.254.1.1', true],
    ['nas.local', true],
    ['fd12:3456::1', true],
    ['8.8.8.8', false],
    ['books.example.org', false],
    ['999.1.1.1', false],
  ])('%s → %s', (host, local) => {
    expect(isLocalNetworkHost(host)).toBe(local);
  });
});

describe('createNetworkErrorClassifier', () => {
  it('uses the last LNA permission answer, probed ahead and after each failure', async () => {
    const answers: PermissionState[] = ['denied', 'granted'];
    let probes = 0;
    const classify = createNetworkErrorClassifier({
      browser: 'chrome',
      probeLocalNetworkAccess: async () => answers[Math.min(probes++, answers.length - 1)],
    });
    // Let the already-resolved probe's answer land (a macrotask runs after every pending microtask).
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    expect(probes).toBe(1);
    expect(classify(new TypeError('Failed to fetch'), lan)).toBe('local-network-blocked');
    await settle();
    expect(probes).toBe(2);
    expect(classify(new TypeError('Failed to fetch'), lan)).toBe('unreachable');
  });

  it('a probe that throws leaves the wording rules alone', () => {
    const classify = createNetworkErrorClassifier({
      browser: 'chrome',
      probeLocalNetworkAccess: () => Promise.reject(new Error('unknown permission name')),
    });
    expect(classify(lnaError, lan)).toBe('local-network-blocked');
    expect(classify(new TypeError('Failed to fetch'), lan)).toBe('unreachable');
  });
});
