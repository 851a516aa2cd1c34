import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompanionError } from '../../../extension/lib/companion-error.js';
import type { ProtectedSite } from '../../../extension/lib/messages.js';
import { originsFor, ProtectedSitesSection } from '../../../extension/ui/protected-sites-section.js';

afterEach(cleanup);

const site = (name: string, extra: Partial<ProtectedSite> = {}): ProtectedSite => ({
  site: name,
  hasClearance: false,
  expiresAtMs: null,
  lastPath: null,
  ...extra,
});

describe('ProtectedSitesSection', () => {
  it('asks for host access to a site and its subdomains from the click, and shows what was granted', async () => {
    const granted = new Set<string>(['*://127.0.0.1/*']);
    const permissions = {
      contains: vi.fn(async ({ origins = [] }: { origins?: string[] }) => origins.every((o) => granted.has(o))),
      request: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
        for (const origin of origins) granted.add(origin);
        return true;
      }),
    };
    render(
      <ProtectedSitesSection
        loadSites={async () => [
          site('annas-archive.org', { hasClearance: true, expiresAtMs: Date.now() + 60_000 }),
          site('127.0.0.1'),
        ]}
        permissions={permissions as never}
      />,
    );
    const allow = await screen.findByRole('button', { name: 'Allow checks for annas-archive.org' });
    expect(screen.queryByRole('button', { name: 'Allow checks for 127.0.0.1' })).toBeNull();
    fireEvent.click(allow);
    await waitFor(() => expect(screen.getAllByText('Browser access granted')).toHaveLength(2));
    expect(permissions.request).toHaveBeenCalledWith({
      origins: ['*://annas-archive.org/*', '*://*.annas-archive.org/*'],
    });
  });

  it('renders site names as text and explains an unreachable companion', async () => {
    render(
      <ProtectedSitesSection
        loadSites={async () => [site('<img src=x onerror=alert(1)>')]}
        permissions={{ contains: async () => false, request: async () => false } as never}
      />,
    );
    expect(await screen.findByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    cleanup();
    render(
      <ProtectedSitesSection
        loadSites={async () => {
          throw new CompanionError('unreachable', 'Could not reach the companion at http://127.0.0.1:8084');
        }}
      />,
    );
    expect((await screen.findByRole('alert')).textContent).toMatch(/\w/);
  });

  it('has no subdomain pattern for an address', () => {
    expect(originsFor('127.0.0.1')).toEqual(['*://127.0.0.1/*']);
    expect(originsFor('welib.org')).toEqual(['*://welib.org/*', '*://*.welib.org/*']);
  });
});

describe('ProtectedSitesSection and the connection', () => {
  it('reads the list again when the connection changes (an unreachable default URL, then the paired one)', async () => {
    let reachable = false;
    const loadSites = vi.fn(async () => {
      if (!reachable) throw new CompanionError('unreachable', 'Could not reach the companion');
      return [site('annas-archive.org')];
    });
    const permissions = { contains: async () => false, request: async () => false };
    const { rerender } = render(
      <ProtectedSitesSection loadSites={loadSites} permissions={permissions as never} reloadKey="offline a" />,
    );
    await screen.findByText(/unreachable/i);
    reachable = true;
    rerender(<ProtectedSitesSection loadSites={loadSites} permissions={permissions as never} reloadKey="online b" />);
    await screen.findByRole('button', { name: 'Allow checks for annas-archive.org' });
    expect(screen.queryByText(/unreachable/i)).toBeNull();
    expect(loadSites).toHaveBeenCalledTimes(2);
  });
});
