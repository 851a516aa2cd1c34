import { defineBackground } from 'wxt/utils/define-background';
import { registerBookPageHandlers } from '../background/book-page-handlers.js';
import { createCompanionConnection } from '../background/companion-connection.js';
import { registerCoreHandlers } from '../background/core-handlers.js';
import { createMessageRouter } from '../background/message-router.js';

// Wiring only: each feature lives in background/ and registers its own handlers and listeners.
export default defineBackground(() => {
  const router = createMessageRouter();
  const connection = createCompanionConnection();
  registerCoreHandlers(router, connection);
  registerBookPageHandlers(router, connection);
  router.listen();
  void connection.test();
});
