import { type CheerioAPI, load } from 'cheerio/slim';
import type { Document } from 'domhandler';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';

/**
 * Which tree builder reads the page: `html5` (parse5, the browser's algorithm: it adds the implied `<body>` and
 * `<tbody>` that several parsers rely on) or `htmlparser2` (about 3× faster, builds the tree as written; used
 * where every real capture reads the same with both — the AA search page, see bench/parser-snapshot.ts).
 */
export type TreeBuilder = 'html5' | 'htmlparser2';

/**
 * Parses an HTML body for reading text: anything that is not a string counts as an empty page, and
 * script/style/template nodes are dropped so their source never leaks into `.text()`.
 * parse5 is called here as cheerio's default `load` calls it (scripting on), through cheerio's slim entry: the full
 * entry also pulls in undici and encoding sniffing for `fromURL`, which the companion never uses.
 */
export function loadPage(html: unknown, treeBuilder: TreeBuilder = 'html5'): CheerioAPI {
  const text = typeof html === 'string' ? html : '';
  const $ =
    treeBuilder === 'htmlparser2'
      ? load(text)
      : load(parse(text, { treeAdapter: adapter, scriptingEnabled: true }) as unknown as Document);
  $('script, style, noscript, template').remove();
  return $;
}
