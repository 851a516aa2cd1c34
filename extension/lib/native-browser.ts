import type Browser from 'webextension-polyfill';

/**
 * What `import browser from 'webextension-polyfill'` resolves to in the builds (wxt.config.ts aliases it here):
 * the browser's own promise-based namespace. Chrome MV3 and Firefox both return promises from every API we call,
 * so the polyfill's ~10 KB wrapper in each of the ten bundles buys nothing; its types stay the contract. The one
 * behaviour it added — answering `runtime.onMessage` with a returned promise — is done by the message router with
 * `sendResponse` instead, which both browsers support.
 */
const scope = globalThis as unknown as { browser?: typeof Browser; chrome?: typeof Browser };
const native = scope.browser?.runtime?.id ? scope.browser : scope.chrome;

export default native as typeof Browser;
