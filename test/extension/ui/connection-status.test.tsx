import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CompanionErrorReason } from '../../../extension/lib/companion-error.js';
import type { ConnectionState } from '../../../extension/lib/messages.js';
import { ConnectionStatus } from '../../../extension/ui/connection-status.js';

const base: ConnectionState = {
  status: 'offline',
  url: 'http://192.168.1.10:8084',
  deviceName: 'Chrome on Linux',
  error: null,
  version: null,
  checkedAtMs: 1,
};

const failed = (reason: CompanionErrorReason, message = 'x', status: ConnectionState['status'] = 'offline') =>
  render(<ConnectionStatus state={{ ...base, status, error: { reason, message } }} />).container.textContent;

describe('ConnectionStatus', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllEnvs();
  });

  it('online: names the companion, its version and address', () => {
    const { getByRole } = render(<ConnectionStatus state={{ ...base, status: 'online', version: '0.1.0' }} />);
    expect(getByRole('status').textContent).toBe('Connected to Bookrelay 0.1.0 at http://192.168.1.10:8084');
  });

  it.each([
    ['unreachable', 'The companion is unreachable'],
    ['local-network-blocked', 'chrome://settings/content/localNetworkAccess'],
    ['https-upgrade', 'HTTPS-Only Mode'],
    ['not-bookrelay', 'it is not a Bookrelay companion'],
    ['protocol-mismatch', 'Update one side'],
    ['timeout', 'did not answer in time'],
    ['permission-missing', 'allow access when asked'],
  ] as const)('%s: says exactly what failed', (reason, text) => {
    expect(failed(reason)).toContain(text);
  });

  it('a refused token asks to pair again; no token asks to pair', () => {
    expect(failed('unauthorized', 'Unauthorized', 'unpaired')).toContain('pair again with a new code');
    expect(failed('not-configured', 'needs pairing', 'unpaired')).toContain('Not paired with a companion');
  });

  it('renders a hostile companion message as text', () => {
    const { container } = render(
      <ConnectionStatus
        state={{ ...base, error: { reason: 'server-error', message: '<img src=x onerror="window.__pwned=1">' } }}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="window.__pwned=1">');
  });

  it('does not blame Firefox HTTPS-Only in Chrome', () => {
    expect(failed('unreachable')).not.toContain('HTTPS-Only');
  });

  it('in Firefox, names HTTPS-Only mode as a likely cause for an unreachable http:// LAN companion', () => {
    vi.stubEnv('BROWSER', 'firefox');
    expect(failed('unreachable')).toContain('HTTPS-Only');
    const loopback = render(
      <ConnectionStatus
        state={{ ...base, url: 'http://127.0.0.1:8084', error: { reason: 'unreachable', message: 'x' } }}
      />,
    ).container.textContent;
    expect(loopback).not.toContain('HTTPS-Only');
  });
});
