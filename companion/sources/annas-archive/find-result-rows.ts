import type { CheerioAPI } from 'cheerio';
import type { Element, ParentNode } from 'domhandler';
import { readMd5FromHref } from './resolve-url.js';
import { aaSelectors as S } from './selectors.js';

const MANY = Symbol('many md5s');

// AA pages hold 50–200 results; more than this is a hostile page, and each row costs a few selector runs.
const MAX_ROWS = 1000;

/**
 * Finds the element of each search result: starting from the first link to each md5 inside a known result area,
 * climb while the parent still holds links to that one md5 only, stopping at a known row element. This keys on
 * `/md5/` links rather than on row classes, so it works for every layout (2026 rows, 2025/2022 blocks, table rows)
 * and survives class renames. Links outside result areas (header ticker, footer) are never results.
 */
export function findResultRows($: CheerioAPI): Element[] {
  const known = $([S.resultList2026, S.resultList2025, S.resultRow2022, 'table'].join(', '));
  // Reduced captures and unknown layouts have no known list container: search the whole body, and let the row
  // parser's requirements (title plus format, size or author) reject stray record links.
  // A fragment has no <body> of its own (htmlparser2 adds none): then the document is the area.
  const body = $('body');
  const fallback = body.length > 0 ? body : $.root();
  const areas = new Set<ParentNode>((known.length > 0 ? known : fallback).toArray() as ParentNode[]);
  // Selecting from the document root and walking up is linear; `.find()` over several areas sorts its matches
  // and takes minutes on a hostile page with tens of thousands of links.
  const links = $(S.recordLink)
    .not(`${S.recentDownloads} ${S.recordLink}`)
    .toArray()
    .filter((link) => hasAncestorIn(link, areas));
  const md5Of = markAncestors(links);
  const rows: Element[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    const md5 = readMd5FromHref(link.attribs.href);
    if (!md5 || seen.has(md5)) continue;
    if (rows.length >= MAX_ROWS) break;
    seen.add(md5);
    rows.push(climbToRow($, link, md5, md5Of));
  }
  return rows;
}

// One pass over the links marks every ancestor with the single md5 it holds, or MANY. Walking up stops at an
// ancestor already marked, so the cost stays linear even for hostile pages with tens of thousands of links.
function markAncestors(links: Element[]): Map<ParentNode, string | typeof MANY> {
  const marks = new Map<ParentNode, string | typeof MANY>();
  for (const link of links) {
    const md5 = readMd5FromHref(link.attribs.href);
    if (!md5) continue;
    for (let node: ParentNode | null = link; node; node = node.parent) {
      const mark = marks.get(node);
      if (mark === MANY || mark === md5) break;
      marks.set(node, mark === undefined ? md5 : MANY);
    }
  }
  return marks;
}

// Stops at a known row element, or below the first ancestor that holds another md5 too. The first rule matters
// when a section holds a single result next to its heading (2025 "1 partial matches").
function climbToRow(_$: CheerioAPI, link: Element, md5: string, md5Of: Map<ParentNode, string | typeof MANY>): Element {
  let row = link;
  while (!isKnownRow(row)) {
    const parent = row.parent;
    if (parent?.type !== 'tag') break;
    const element = parent as Element;
    if (element.name === 'body' || element.name === 'html' || md5Of.get(element) !== md5) break;
    row = element;
  }
  return row;
}

// Same elements as `aaSelectors.resultRow`, checked by hand: climbing tests every ancestor, and compiling the
// selector once per ancestor is quadratic on deeply nested pages.
function isKnownRow(element: Element): boolean {
  if (element.name === 'tr') return true;
  if (element.name !== 'div') return false;
  if ((element.attribs.id ?? '').startsWith('link-index-')) return true;
  if ((element.attribs.class ?? '').includes('h-[110px]')) return true;
  const parent = element.parent as Element | null;
  if (parent?.type !== 'tag') return false;
  return parent.attribs.id === 'aarecord-list' || /(^|\s)js-aarecord-list-outer(\s|$)/.test(parent.attribs.class ?? '');
}

function hasAncestorIn(node: Element, ancestors: Set<ParentNode>): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ancestors.has(parent)) return true;
  }
  return false;
}
