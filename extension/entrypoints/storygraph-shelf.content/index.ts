import { defineContentScript } from 'wxt/utils/define-content-script';
import { runShelfPanel } from '../../features/mount-shelf-panel.js';
import { storygraphShelf } from '../../features/storygraph-shelf.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the shelf.
export default defineContentScript({
  matches: storygraphShelf.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runShelfPanel(ctx, storygraphShelf),
});
