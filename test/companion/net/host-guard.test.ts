import { describe, expect, it } from 'vitest';
import { HostNotAllowedError, isCompanionError } from '../../../companion/errors.js';
import { createHostGuard, mayDiscover } from '../../../companion/net/host-guard.js';

const configured = ['https://annas-archive.org', 'https://libgen.li/', 'http://127.0.0.1:45123', 'http://welib.org'];
const guard = createHostGuard(() => configured);

describe('createHostGuard', () => {
  it.each([
    'https://annas-archive.org/md5/0123456789abcdef0123456789abcdef',
    'https://ANNAS-ARCHIVE.org/search?q=x',
    'https://annas-archive.org./search',
    'https://annas-archive.org:443/',
    'https://libgen.li/ads.php?md5=abc',
    'http://127.0.0.1:45123/anything',
    'http://welib.org/',
    'https://welib.org/md5/x',
  ])('allows %s', (url) => {
    expect(guard.isAllowed(url)).toBe(true);
    expect(guard.check(url).href).toBe(new URL(url).href);
  });

  it.each([
    ['loopback on another port', 'http://127.0.0.1:8084/api/queue'],
    ['loopback with the default port', 'http://127.0.0.1/'],
    ['IPv6 loopback', 'http://[::1]:45123/'],
    ['localhost', 'http://localhost:45123/'],
    ['decimal IPv4 for 127.0.0.1 on another port', 'http://2130706433:8084/'],
    ['hex IPv4', 'http://0x7f.0.0.1/'],
    ['userinfo that looks like the allowed host', 'http://evil@annas-archive.org.attacker.test/'],
    ['userinfo on the allowed host itself', 'https://user:pass@annas-archive.org/'],
    ['a suffix trick', 'https://annas-archive.org.attacker.test/'],
    ['a subdomain that is not configured', 'https://evil.annas-archive.org/'],
    ['an odd port on an allowed host', 'https://annas-archive.org:8443/'],
    ['a downgrade to http', 'http://annas-archive.org/'],
    ['a file URL', 'file:///etc/passwd'],
    ['a data URL', 'data:text/html,hi'],
    ['a gopher URL', 'gopher://annas-archive.org/'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(guard.isAllowed(url)).toBe(false);
    let thrown: unknown;
    try {
      guard.check(url);
    } catch (err) {
      thrown = err;
    }
    expect(isCompanionError(thrown, HostNotAllowedError)).toBe(true);
  });

  it('never echoes userinfo in its error', () => {
    expect(() => guard.check('https://user:hunter2@evil.test/')).toThrow(/evil\.test/);
    expect(() => guard.check('https://user:hunter2@evil.test/')).not.toThrow(/hunter2/);
  });

  it('reads the allowed list on every call, so mirror changes apply at once', () => {
    const mirrors = ['https://annas-archive.se'];
    const live = createHostGuard(() => mirrors);
    expect(live.isAllowed('https://annas-archive.gl/')).toBe(false);
    mirrors.push('https://annas-archive.gl');
    expect(live.isAllowed('https://annas-archive.gl/')).toBe(true);
  });

  it('lets a redirect leave for a public CDN host, never for an internal address', () => {
    const guard = createHostGuard(() => ['https://libgen.li']);
    expect(guard.checkRedirect('https://cdn3.booksdl.lc/get.php?md5=x').hostname).toBe('cdn3.booksdl.lc');
    expect(guard.checkRedirect('http://93.184.216.34/file.epub').hostname).toBe('93.184.216.34');
    for (const target of [
      'http://127.0.0.1/',
      'http://127.9.9.9:80/',
      'http://10.1.2.3/',
      'http://172.20.0.5/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://localhost/',
      'http://printer.local/',
      'http://intranet/',
      'http://2130706433/',
      'https://cdn.example:8443/',
      'http://user:pw@cdn.example/',
      'file:///etc/passwd',
    ]) {
      expect(() => guard.checkRedirect(target), target).toThrow(HostNotAllowedError);
    }
  });
});

describe('mayDiscover (links found on fetched pages)', () => {
  it.each(['https://partner.example/file/x.epub', 'http://93.184.216.34:8080/file', 'http://127.0.0.1:45123/file'])(
    'allows %s (public, or trusted)',
    (url) => {
      expect(mayDiscover(url, ['http://127.0.0.1:45123'])).toBe(true);
    },
  );

  it.each([
    'http://127.0.0.1:8084/api/queue/clear',
    'http://localhost:45123/',
    'http://192.168.1.1/admin',
    'http://10.0.0.7:9000/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:45123/',
    'http://router/',
    'https://127.0.0.1:45123/',
    'http://user:pw@partner.example/',
    'ftp://partner.example/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(mayDiscover(url, ['http://127.0.0.1:45123'])).toBe(false);
  });
});
