import type { BookInfo, Md5, SearchFilters } from '../../shared/book.js';
import type { MirrorState } from './mirrors.js';

/** A URL that should answer with the book's bytes (countdowns and link pages already resolved). */
export interface DownloadCandidate {
  url: string;
  /** Human label for status messages, e.g. "Anna's Archive slow partner #2". */
  label: string;
  /** The host whose clearance/parking applies (e.g. "annas-archive.org"). */
  site: string;
  /** Extra request headers (e.g. a Referer some mirrors want). */
  headers?: Record<string, string>;
  /**
   * `countdown-page`: a slow-download page the server could not load past a challenge. The server does not fetch it;
   * the browser relay may (it waits out the countdown and follows the link). Absent: the URL answers with the file.
   */
  kind?: 'countdown-page';
}

/** Progress reporting while a source resolves candidates (countdown waits, "trying libgen", …). */
export interface ResolveContext {
  signal: AbortSignal;
  onStatus(message: string): void;
}

export interface SearchOptions {
  /** Default true: `SUPPORTED_FORMATS` / `BOOK_LANGUAGE` fill empty format/language filters. */
  applyDefaults?: boolean;
}

/** A place books come from. Anna's Archive is the first; libgen/z-lib/welib are reached through it. */
export interface Source {
  readonly id: string;
  /**
   * Search results in CWA-BD's BookInfo shape (absent fields omitted). Throws on unreachable upstream. Empty
   * `format`/`lang` filters take the configured defaults unless `applyDefaults` is false (then: any format/language).
   */
  search(filters: SearchFilters, signal?: AbortSignal, options?: SearchOptions): Promise<BookInfo[]>;
  /**
   * The record page; undefined when the id is unknown. `solve: false` throws a challenge at once instead of waiting
   * for clearance (queue time: the request is queued and the worker gets past the wall).
   */
  details(id: Md5, signal?: AbortSignal, options?: { solve?: boolean }): Promise<BookInfo | undefined>;
  /** Candidates in the configured order, lazily: the next one is resolved only if the previous failed. */
  candidates(book: BookInfo, ctx: ResolveContext): AsyncIterable<DownloadCandidate>;
  /** The configured mirrors of every site: answering or parked, search path, last failure (diagnostics). */
  mirrorStatus?(): MirrorState[];
}
