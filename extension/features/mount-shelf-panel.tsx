import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { sendMessage } from '../lib/send-message.js';
import { ShelfPanel } from '../ui/shelf-panel.js';
import { readShelfEntries, type ShelfSite } from './shelf-site.js';

/** The custom element hosting the shelf panel's shadow root; one per page. */
export const SHELF_HOST_NAME = 'bookrelay-shelf';

/**
 * Runs a site's shelf panel for the life of the content script: mounts it on shelf pages (after the heading),
 * follows in-page navigation, puts it back when the page's own re-render drops it. Never throws into the page.
 */
export function runShelfPanel(ctx: ContentScriptContext, site: ShelfSite, doc: Document = document): void {
  let current: { ui: ShadowRootContentScriptUi<HTMLElement>; href: string } | undefined;
  let generation = 0;

  const removeCurrent = () => {
    current?.ui.remove();
    current = undefined;
    for (const stray of doc.querySelectorAll(SHELF_HOST_NAME)) stray.remove();
  };

  async function refresh(url: URL = new URL(doc.location.href)): Promise<void> {
    if (current && current.href === url.href && current.ui.shadowHost.isConnected) return;
    const mine = ++generation;
    removeCurrent();
    if (!site.isShelfUrl(url)) return;
    const anchor = site.findAnchor(doc);
    const ui = await createShadowRootUi<HTMLElement>(ctx, {
      name: SHELF_HOST_NAME,
      position: 'inline',
      anchor: anchor ?? doc.body,
      append: anchor ? 'after' : 'first',
      onMount(container) {
        render(
          <ShelfPanel
            url={url.href}
            readEntries={() => readShelfEntries(site, doc)}
            asksForToken={site.site === 'hardcover'}
          />,
          container,
        );
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    if (mine !== generation) return;
    removeCurrent();
    ui.mount();
    current = { ui, href: url.href };
    void reportVisit(url, mine);
  }

  // A watched shelf the companion cannot read learns of its books when its page is read (here, or in the alarm's
  // background tab); the background ignores pages that are not such a shelf. Rows may render late: wait for them.
  async function reportVisit(url: URL, mine: number): Promise<void> {
    for (let waited = 0; waited <= 5000; waited += 500) {
      if (mine !== generation) return;
      const entries = readShelfEntries(site, doc);
      if (entries.length > 0) {
        await sendMessage({ type: 'shelf:visit', url: url.href, entries }).catch(() => undefined);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  const safeRefresh = (url?: URL) => {
    refresh(url).catch(() => undefined);
  };
  safeRefresh();
  ctx.addEventListener(window, 'wxt:locationchange', (event) => safeRefresh(new URL(event.newUrl)));
  const observer = new MutationObserver(() => {
    if (current && !current.ui.shadowHost.isConnected) safeRefresh();
  });
  observer.observe(doc.body, { childList: true, subtree: true });
  ctx.onInvalidated(() => observer.disconnect());
}
