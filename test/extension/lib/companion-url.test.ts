import { describe, expect, it } from 'vitest';
import { normalizeCompanionUrl, toOriginPattern } from '../../../extension/lib/companion-url.js';

describe('normalizeCompanionUrl', () => {
  it.each([
    ['http://127.0.0.1:8084', 'http://127.0.0.1:8084'],
    ['  http://127.0.0.1:8084/  ', 'http://127.0.0.1:8084'],
    ['192.168.1.10:8084', 'http://192.168.1.10:8084'],
    ['https://home.example.org/bookrelay/', 'https://home.example.org/bookrelay'],
    ['HTTP://NAS.LOCAL:8084/?x=1#y', 'http://nas.local:8084'],
    ['https://home.example.org:443', 'https://home.example.org'],
  ])('%s → %s', (input, url) => {
    expect(normalizeCompanionUrl(input)).toBe(url);
  });

  it.each(['', 'ftp://127.0.0.1', 'javascript:alert(1)', 'http://', 'http://a:b@127.0.0.1', 'http://exa mple.org'])(
    'refuses %j',
    (input) => {
      expect(() => normalizeCompanionUrl(input)).toThrow(expect.objectContaining({ reason: 'bad-request' }));
    },
  );
});

describe('toOriginPattern', () => {
  it('drops the port and path: match patterns have no port', () => {
    expect(toOriginPattern('http://192.168.1.10:8084/bookrelay')).toBe('http://192.168.1.10/*');
    expect(toOriginPattern('https://home.example.org')).toBe('https://home.example.org/*');
  });
});
