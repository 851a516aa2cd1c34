import { defineBackground } from 'wxt/utils/define-background';
import { createCompanionConnection } from '../background/companion-connection.js';
import { registerCoreHandlers } from '../background/core-handlers.js';
import { createMessageRouter } from '../background/message-router.js';
import { startBrowserRelay } from '../background/relay-service.js';

// Wiring only: each feature lives in background/ and registers its own handlers and listeners.
export default defineBackground(() => {
  const router = createMessageRouter();
  const connection = createCompanionConnection();
  registerCoreHandlers(router, connection);
  startBrowserRelay(router, connection);
  router.listen();
  void connection.test();
});
