import { defineBackground } from 'wxt/utils/define-background';
import { showQueueBadge } from '../background/badge.js';
import { registerBookPageHandlers } from '../background/book-page-handlers.js';
import { createCompanionConnection } from '../background/companion-connection.js';
import { createCompanionEvents } from '../background/companion-events.js';
import { openPopupSearch, registerContextMenus } from '../background/context-menus.js';
import { registerCoreHandlers } from '../background/core-handlers.js';
import { createMessageRouter } from '../background/message-router.js';
import { listenForNoticeClicks, notifyQueueChanges, showNotice } from '../background/notifications.js';
import { registerPairingHandlers } from '../background/pairing-handlers.js';
import { createQueueState } from '../background/queue-state.js';
import { startBrowserRelay } from '../background/relay-service.js';
import { createShelfPageOpener, startShelfAlarm } from '../background/shelf-alarm.js';
import { registerShelfHandlers } from '../background/shelf-handlers.js';
import { createNetworkErrorClassifier } from '../lib/classify-network-error.js';
import { hasOriginAccess } from '../lib/origin-access.js';

// Wiring only: each feature lives in background/ and registers its own handlers and listeners.
export default defineBackground(() => {
  const router = createMessageRouter();
  const connection = createCompanionConnection({
    classifyNetworkError: createNetworkErrorClassifier({
      browser: import.meta.env.BROWSER === 'firefox' ? 'firefox' : 'chrome',
    }),
    hasAccess: hasOriginAccess,
  });
  registerCoreHandlers(router, connection);
  registerPairingHandlers(router, connection);
  const queue = createQueueState();
  queue.register(router);
  const events = createCompanionEvents({ connection, queue });
  showQueueBadge(queue, connection);
  notifyQueueChanges(queue);
  listenForNoticeClicks();
  const onContextMenuClick = registerContextMenus({
    connection,
    notify: showNotice,
    openSearch: openPopupSearch,
    onQueued: (md5) => queue.track(md5),
  });
  // Native menus cannot be clicked from puppeteer: the e2e test calls this same handler with an OnClickData.
  Object.assign(globalThis, { bookrelayContextMenuClick: onContextMenuClick });
  registerBookPageHandlers(router, connection);
  const shelves = registerShelfHandlers(router, connection, createShelfPageOpener());
  startShelfAlarm(() => shelves.checkExtensionShelves());
  // The e2e test runs the alarm's check at once through this same function.
  Object.assign(globalThis, { bookrelayCheckShelves: () => shelves.checkExtensionShelves() });
  startBrowserRelay(router, connection, events);
  router.listen();
  void events.start();
  void connection.test();
});
