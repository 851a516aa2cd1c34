import { defineConfig } from 'wxt';

// Preact through vite 8's oxc JSX transform: no babel preset needed for builds or tests (toolchain.md P9).
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  imports: false,
  manifest: ({ browser }) => ({
    name: 'Bookrelay',
    description: "Search Anna's Archive from book pages and send books to your Calibre-Web-Automated library.",
    permissions: ['cookies', 'storage', 'contextMenus', 'notifications', 'alarms', 'scripting', 'downloads'],
    host_permissions: ['<all_urls>'],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'bookrelay@bookrelay.invalid', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
  zip: { excludeSources: ['companion/**', 'test/**', 'scripts/**', 'dist/**', 'data/**', 'ingest/**'] },
  vite: () => ({ oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } } }),
});
