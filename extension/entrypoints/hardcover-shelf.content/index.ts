import { defineContentScript } from 'wxt/utils/define-content-script';
import { hardcoverShelf } from '../../features/hardcover-shelf.js';
import { runShelfPanel } from '../../features/mount-shelf-panel.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the shelf.
export default defineContentScript({
  matches: hardcoverShelf.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runShelfPanel(ctx, hardcoverShelf),
});
