import { defineContentScript } from 'wxt/utils/define-content-script';
import { runBookButtons } from '../../features/mount-book-buttons.js';
import { storygraphButtons } from '../../features/storygraph-buttons.js';
import '../../ui/book-buttons.css';

// Thin entry: the feature file says where it runs and how it reads the page.
export default defineContentScript({
  matches: storygraphButtons.matches,
  cssInjectionMode: 'ui',
  main: (ctx) => runBookButtons(ctx, storygraphButtons),
});
