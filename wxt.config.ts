import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';

/** Icon sizes the Chrome Web Store and AMO want (toolbar 16/32, management page 48, store 128, Firefox 96). */
const ICON_SIZES = [16, 32, 48, 96, 128] as const;

// Preact through vite 8's oxc JSX transform: no babel preset needed for builds or tests (toolchain.md P9).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Bookrelay',
    description: "Search Anna's Archive from book pages and send books to your Calibre-Web-Automated library.",
    permissions: ['cookies', 'storage', 'contextMenus', 'notifications', 'alarms', 'scripting', 'downloads'],
    // Least privilege: only a loopback companion is granted at install (headless Chromium cannot answer a
    // permission prompt, and a local companion is the default). Book sites come from the content scripts' matches;
    // a LAN/HTTPS companion and protected sites are requested at run time from the options page.
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['*://*/*'],
    icons: Object.fromEntries(ICON_SIZES.map((size) => [size, `icon/${size}.png`])),
    action: {
      default_title: 'Bookrelay',
      default_icon: Object.fromEntries(ICON_SIZES.slice(0, 3).map((size) => [size, `icon/${size}.png`])),
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'bookrelay@bookrelay.invalid', data_collection_permissions: { required: ['none'] } },
      },
      // Firefox's default MV3 extension CSP adds `upgrade-insecure-requests`, which turns calls to an http:// LAN
      // companion into https:// ones that fail (extension-notes.md §0.6); this one leaves the scheme alone.
      content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
    }),
  }),
  zip: { excludeSources: ['companion/**', 'test/**', 'scripts/**', 'dist/**', 'data/**', 'ingest/**'] },
  vite: () => ({
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    // Both browsers' own APIs return promises: the builds use the native namespace and keep the polyfill's types
    // (extension/lib/native-browser.ts says why); unit tests still get WXT's fake browser through the real import.
    resolve: {
      alias: { 'webextension-polyfill': fileURLToPath(new URL('extension/lib/native-browser.ts', import.meta.url)) },
    },
  }),
});
