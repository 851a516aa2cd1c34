import { defineContentScript } from 'wxt/utils/define-content-script';
import { runShelfPanel } from '../../features/mount-shelf-panel.js';
import { openlibraryShelf } from '../../features/openlibrary-shelf.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the shelf.
export default defineContentScript({
  matches: openlibraryShelf.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runShelfPanel(ctx, openlibraryShelf),
});
