import { defineContentScript } from 'wxt/utils/define-content-script';
import { hardcoverButtons } from '../../features/hardcover-buttons.js';
import { runBookButtons } from '../../features/mount-book-buttons.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the page.
export default defineContentScript({
  matches: hardcoverButtons.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runBookButtons(ctx, hardcoverButtons),
});
