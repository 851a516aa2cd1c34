import { defineContentScript } from 'wxt/utils/define-content-script';
import { goodreadsShelf } from '../../features/goodreads-shelf.js';
import { runShelfPanel } from '../../features/mount-shelf-panel.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the shelf.
export default defineContentScript({
  matches: goodreadsShelf.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runShelfPanel(ctx, goodreadsShelf),
});
