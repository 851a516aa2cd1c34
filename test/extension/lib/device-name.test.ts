import { describe, expect, it } from 'vitest';
import { describeDevice } from '../../../extension/lib/device-name.js';

const UA = {
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:140.0) Gecko/20100101 Firefox/140.0',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
};

describe('describeDevice', () => {
  it.each([
    [UA.chromeLinux, undefined, 'Chrome on Linux'],
    [UA.edgeWindows, undefined, 'Edge on Windows'],
    [UA.firefoxWindows, undefined, 'Firefox on Windows'],
    [UA.firefoxMac, undefined, 'Firefox on macOS'],
    [UA.firefoxAndroid, undefined, 'Firefox on Android'],
    [UA.safariMac, undefined, 'Safari on macOS'],
    [UA.headless, undefined, 'Chrome on Linux'],
    ['something else entirely', undefined, 'Browser'],
  ])('%s → %s', (userAgent, userAgentData, name) => {
    expect(describeDevice({ userAgent, userAgentData })).toBe(name);
  });

  it('prefers userAgentData: it names the real brand and platform', () => {
    const brands = (...names: string[]) => names.map((brand) => ({ brand }));
    expect(
      describeDevice({
        userAgent: UA.chromeLinux,
        userAgentData: { brands: brands('Not)A;Brand', 'Chromium', 'Google Chrome'), platform: 'Windows' },
      }),
    ).toBe('Chrome on Windows');
    expect(
      describeDevice({
        userAgent: UA.edgeWindows,
        userAgentData: { brands: brands('Chromium', 'Microsoft Edge', 'Not_A Brand'), platform: 'Windows' },
      }),
    ).toBe('Edge on Windows');
    expect(
      describeDevice({ userAgent: UA.chromeLinux, userAgentData: { brands: brands('Chromium'), platform: 'Linux' } }),
    ).toBe('Chromium on Linux');
    expect(describeDevice({ userAgent: UA.chromeLinux, userAgentData: { brands: [], platform: '' } })).toBe(
      'Chrome on Linux',
    );
  });
});
