import { defineBackground } from 'wxt/utils/define-background';
import { createCompanionConnection } from '../background/companion-connection.js';
import { registerCoreHandlers } from '../background/core-handlers.js';
import { createMessageRouter } from '../background/message-router.js';
import { registerPairingHandlers } from '../background/pairing-handlers.js';
import { createNetworkErrorClassifier } from '../lib/classify-network-error.js';

// Wiring only: each feature lives in background/ and registers its own handlers and listeners.
export default defineBackground(() => {
  const router = createMessageRouter();
  const connection = createCompanionConnection({
    classifyNetworkError: createNetworkErrorClassifier({
      browser: import.meta.env.BROWSER === 'firefox' ? 'firefox' : 'chrome',
    }),
  });
  registerCoreHandlers(router, connection);
  registerPairingHandlers(router, connection);
  router.listen();
  void connection.test();
});
