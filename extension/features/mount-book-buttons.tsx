import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { BookIdentity } from '../lib/book-identity/types.js';
import { BookButtons } from '../ui/book-buttons.js';
import { type BookSite, readIdentityForButtons } from './book-site.js';

/** The custom element hosting the buttons' shadow root; one per page. */
export const BUTTONS_HOST_NAME = 'bookrelay-buttons';

/**
 * Reads the page's book, re-reading as the DOM changes (SPA pages render late) until `timeoutMs`; undefined for a
 * bot check or a page that never shows a book.
 */
export function waitForIdentity(
  site: BookSite,
  doc: Document,
  url: URL,
  { timeoutMs = 8000, signal }: { timeoutMs?: number; signal: AbortSignal },
): Promise<BookIdentity | undefined> {
  return new Promise((resolve) => {
    let scheduled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (identity: BookIdentity | undefined) => {
      observer.disconnect();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(identity);
    };
    const attempt = () => {
      scheduled = false;
      const identity = readIdentityForButtons(site, doc, url);
      if (identity) finish(identity);
    };
    const onAbort = () => finish(undefined);
    const observer = new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      setTimeout(attempt, 200);
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true });
    timer = setTimeout(() => finish(undefined), timeoutMs);
    signal.addEventListener('abort', onAbort);
    attempt();
  });
}

/**
 * Runs a site's buttons for the life of the content script: mounts one pair in a shadow root next to the title,
 * replaces it on SPA navigation (`wxt:locationchange`), re-mounts if the page's own re-render drops it, and removes
 * it when the page stops being a book page.
 */
export function runBookButtons(ctx: ContentScriptContext, site: BookSite, doc: Document = document): void {
  let current: { ui: ShadowRootContentScriptUi<HTMLElement>; href: string } | undefined;
  let pass: AbortController | undefined;

  const removeCurrent = () => {
    current?.ui.remove();
    current = undefined;
    // A previous instance of this script (extension update) may have left its host behind.
    for (const stray of doc.querySelectorAll(BUTTONS_HOST_NAME)) stray.remove();
  };

  // The Navigation API fires before `location` changes, so the event's `newUrl` is the truth, not `location`.
  async function refresh(url: URL = new URL(doc.location.href)): Promise<void> {
    if (current && current.href === url.href && current.ui.shadowHost.isConnected) return;
    pass?.abort();
    const thisPass = new AbortController();
    pass = thisPass;
    site.mountExtras?.(doc, url, thisPass.signal);
    removeCurrent();
    if (!site.isBookUrl(url)) return;
    const identity = await waitForIdentity(site, doc, url, { signal: thisPass.signal });
    if (!identity || thisPass.signal.aborted) return;
    const anchor = site.findAnchor(doc);
    const ui = await createShadowRootUi<HTMLElement>(ctx, {
      name: BUTTONS_HOST_NAME,
      position: 'inline',
      anchor: anchor ?? doc.body,
      append: anchor ? 'after' : 'first',
      onMount(container) {
        render(<BookButtons identity={identity} />, container);
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    if (thisPass.signal.aborted) return;
    removeCurrent();
    ui.mount();
    current = { ui, href: url.href };
  }

  const safeRefresh = (url?: URL) => {
    refresh(url).catch(() => undefined);
  };
  safeRefresh();
  ctx.addEventListener(window, 'wxt:locationchange', (event) => safeRefresh(new URL(event.newUrl)));
  // Frameworks re-render their title blocks; put the buttons back when the host is dropped.
  const observer = new MutationObserver(() => {
    if (current && !current.ui.shadowHost.isConnected) safeRefresh();
  });
  observer.observe(doc.body, { childList: true, subtree: true });
  ctx.onInvalidated(() => {
    observer.disconnect();
    pass?.abort();
  });
}
