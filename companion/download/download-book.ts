import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BookInfo } from '../../shared/book.js';
import type { WaitingReason } from '../../shared/download.js';
import type { RelayCandidate } from '../../shared/relay-api.js';
import { abortableSleep } from '../abortable-sleep.js';
import {
  ChallengeError,
  CompanionError,
  isCompanionError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { HttpClient } from '../net/http-client.js';
import { clearanceWaitMessage } from '../relay/clearance-requests.js';
import { NeedsRelayError } from '../relay/relay-errors.js';
import type { DownloadCandidate, Source } from '../sources/source.js';
import { buildFileName } from './build-file-name.js';
import { detectBookFormat, type FormatHints } from './detect-book-format.js';
import { BadFileError, fetchToStaging, Md5MismatchError } from './fetch-to-staging.js';
import { placeInLibrary } from './place-in-library.js';
import { runCustomScript } from './run-custom-script.js';
import { AttemptsExhaustedError, createWrongFiles, ListedMd5MismatchError } from './wrong-files.js';

/** Every candidate failed, but some only for now (rate limit, server busy): try the item again at `atMs`. */
export class RetryLaterError extends CompanionError {
  override name = 'RetryLaterError' as const;
  constructor(
    message: string,
    readonly atMs: number,
  ) {
    super(message);
  }
}

/** Clearance for a challenged site, from wherever it can be had (stored, extension, headless, external). */
export interface ChallengeSolver {
  solve(site: string, url: string, signal: AbortSignal, challenge?: string): Promise<unknown>;
}

export interface DownloadReporter {
  status(message: string, waiting?: WaitingReason | null): void;
  progress(bytesDone: number, bytesTotal: number | null): void;
  staging(stagingPath: string, source: string): void;
  /** A transfer starts: its number among the item's attempts, the bound (MAX_RETRY) and its source. */
  attempt?(attempt: AttemptInfo): void;
}

/** Which transfer of an item is running, shown with its progress (progress is per attempt). */
export interface AttemptInfo {
  attempt: number;
  /** null when unbounded. */
  maxAttempts: number | null;
  source: string;
  /** "Downloading from <source> (attempt 3 of 6)". */
  statusMessage: string;
}

export interface DownloadBookDeps {
  client: HttpClient;
  source: Source;
  solver?: ChallengeSolver;
  stagingDir: string;
  ingestDir: string;
  useBookTitle: boolean;
  customScript?: string;
  customScriptTimeoutMs: number;
  /** Attempts per candidate for dropped connections (each resumes with Range). */
  attemptsPerCandidate?: number;
  /** Base back-off between attempts; doubled each time. */
  backoffMs?: number;
  /** RELAY_SITES: hosts whose files only the browser fetches (the job goes to the relay at once). */
  relaySites?: readonly string[];
  /** Whether a file the server cannot get past a challenge goes to the browser relay instead of failing. */
  relayFallback?: boolean;
  /** How often a long wait for clearance reports that it is alive (the stall watchdog listens). */
  keepAliveMs?: number;
  /** Waits up to this long in place for a Retry-After; longer waits park the item instead. */
  maxInlineWaitMs?: number;
  /** Transfers allowed for the item in all, across sources and runs (MAX_RETRY); default unbounded. */
  maxAttempts?: number;
  /** Transfers the item already made in earlier runs (the count goes on after a retry). */
  attemptsMade?: number;
  /** Rejected files are warnings here (source and both digests; never a URL, which may carry a key). */
  logger?: Logger;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The staging file of a book: one per md5, so a restarted process finds the partial it belongs to. */
export function stagingPathFor(stagingDir: string, md5: string): string {
  return path.join(stagingDir, `${md5}.part`);
}

/** Whether `url`'s host is one of `sites` or below one of them. */
function isRelaySite(url: string, sites: readonly string[]): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return sites.some((site) => host === site || host.endsWith(`.${site}`));
}

function toRelayCandidate(candidate: DownloadCandidate): RelayCandidate {
  return {
    url: candidate.url,
    kind: candidate.kind ?? 'file',
    label: candidate.label,
    site: candidate.site,
    ...(candidate.headers ? { headers: candidate.headers } : {}),
  };
}

/**
 * Downloads one book: walks the source's candidates, streams to staging with md5 verification, resumes dropped
 * transfers with Range, asks the solver when challenged, runs CUSTOM_SCRIPT, and places the file in the ingest
 * folder. Returns the final path. Throws {@link RetryLaterError} when only temporary failures remain.
 */
export async function downloadBook(
  book: BookInfo,
  deps: DownloadBookDeps,
  signal: AbortSignal,
  report: DownloadReporter,
): Promise<string> {
  const {
    attemptsPerCandidate = 4,
    backoffMs = 1000,
    maxInlineWaitMs = 120_000,
    now = Date.now,
    sleep = abortableSleep,
    relaySites = [],
    relayFallback = false,
    keepAliveMs = 10_000,
  } = deps;
  const stagingPath = stagingPathFor(deps.stagingDir, book.id);
  const failures: string[] = [];
  let retryAtMs: number | undefined;
  // Candidates the server could not get past a challenge: the browser may (the relay).
  const relayCandidates: RelayCandidate[] = [];
  let relayReason = '';
  const unsolvedSites = new Set<string>();
  const maxAttempts = Math.max(1, deps.maxAttempts ?? Number.POSITIVE_INFINITY);
  let attemptsMade = deps.attemptsMade ?? 0;
  const wrongFiles = createWrongFiles(book.id.toLowerCase());

  /** Counts a transfer against MAX_RETRY and says which one it is; throws when none is left. */
  const startAttempt = (candidate: DownloadCandidate) => {
    if (attemptsMade >= maxAttempts) {
      throw new AttemptsExhaustedError(
        `Gave up after ${attemptsMade} download attempt${attemptsMade === 1 ? '' : 's'} (MAX_RETRY)${failures.length > 0 ? `. Last: ${failures.at(-1)}` : ''}`,
      );
    }
    attemptsMade++;
    report.staging(stagingPath, candidate.label);
    const bounded = Number.isFinite(maxAttempts);
    const which = bounded
      ? ` (attempt ${attemptsMade} of ${maxAttempts})`
      : attemptsMade > 1
        ? ` (attempt ${attemptsMade})`
        : '';
    const statusMessage = `Downloading from ${candidate.label}${which}`;
    if (report.attempt) {
      report.attempt({
        attempt: attemptsMade,
        maxAttempts: bounded ? maxAttempts : null,
        source: candidate.label,
        statusMessage,
      });
    } else report.status(statusMessage);
  };
  // What the transfer that succeeded said about the file (evidence of its format besides the bytes).
  let fetched: FormatHints = {};

  const waitForClearance = async (err: ChallengeError) => {
    const message = clearanceWaitMessage(err.site, err.kind);
    const waiting: WaitingReason = { kind: 'clearance', site: err.site };
    report.status(message, waiting);
    const alive = setInterval(() => report.status(message, waiting), keepAliveMs);
    try {
      await deps.solver?.solve(err.site, err.url, signal, err.kind);
    } finally {
      clearInterval(alive);
    }
  };

  const tryCandidate = async (candidate: DownloadCandidate): Promise<boolean> => {
    let solvedOnce = false;
    if (relaySites.length > 0 && isRelaySite(candidate.url, relaySites)) {
      await rm(stagingPath, { force: true });
      throw new NeedsRelayError(
        candidate.site,
        [...relayCandidates, toRelayCandidate(candidate)],
        `${new URL(candidate.url).hostname} is set to download through the browser (RELAY_SITES)`,
      );
    }
    if (candidate.kind === 'countdown-page') {
      // The source could not load this page past its wall; only the browser can (if the relay is on).
      unsolvedSites.add(candidate.site);
      failures.push(`${candidate.label}: the check on ${candidate.site} was not passed`);
      relayCandidates.push(toRelayCandidate(candidate));
      relayReason ||= `this server could not get past the check on ${candidate.site}`;
      return false;
    }
    for (let attempt = 1; attempt <= attemptsPerCandidate; attempt++) {
      signal.throwIfAborted();
      startAttempt(candidate);
      try {
        const staged = await fetchToStaging({
          client: deps.client,
          url: candidate.url,
          headers: candidate.headers,
          stagingPath,
          expectedMd5: book.id,
          signal,
          onProgress: report.progress,
          ingestDir: deps.ingestDir,
        });
        fetched = {
          url: candidate.url,
          contentType: staged.contentType,
          contentDisposition: staged.contentDisposition,
        };
        return true;
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (isCompanionError(err, Md5MismatchError)) {
          deps.logger?.warn('A source served a file whose md5 differs from the id; it was rejected', {
            id: book.id,
            source: candidate.label,
            expectedMd5: err.expected,
            actualMd5: err.actual,
            attempt: attemptsMade,
          });
          const reason = `${candidate.label} served a different file (md5 ${err.actual}, expected ${err.expected})`;
          report.status(reason);
          failures.push(reason);
          wrongFiles.record(candidate.label, err.actual);
          return false;
        }
        if (isCompanionError(err, BadFileError)) {
          failures.push(`${candidate.label}: ${err.message}`);
          return false;
        }
        if (isCompanionError(err, ChallengeError)) {
          // A site whose clearance already failed for this book is not asked again: its files go to the browser.
          if (!deps.solver || solvedOnce || unsolvedSites.has(err.site)) {
            unsolvedSites.add(err.site);
            failures.push(`${candidate.label}: ${err.message}`);
            relayCandidates.push(toRelayCandidate(candidate));
            if (solvedOnce) {
              relayReason = `${err.site} refused this server's replay of the clearance (it may be bound to the browser's address)`;
            } else if (!relayReason) relayReason = `this server has no way past the check on ${err.site}`;
            return false;
          }
          try {
            await waitForClearance(err);
          } catch (solveErr) {
            if (signal.aborted) throw signal.reason;
            failures.push(`${candidate.label}: ${(solveErr as Error).message}`);
            unsolvedSites.add(err.site);
            relayCandidates.push(toRelayCandidate(candidate));
            relayReason = `no clearance for ${err.site} reached this server (${(solveErr as Error).message})`;
            return false;
          }
          solvedOnce = true;
          attempt--;
          continue;
        }
        if (isCompanionError(err, UpstreamHttpError)) {
          const busy = err.status === 429 || err.status === 503;
          if (busy && err.retryAfterMs !== undefined && err.retryAfterMs <= maxInlineWaitMs) {
            const site = candidate.site;
            report.status(`${site} is busy, waiting ${Math.ceil(err.retryAfterMs / 1000)} s`, {
              kind: 'rate-limit',
              site,
              untilMs: now() + err.retryAfterMs,
            });
            await sleep(err.retryAfterMs, signal);
            continue;
          }
          if (busy) retryAtMs = Math.min(retryAtMs ?? Infinity, now() + (err.retryAfterMs ?? 5 * 60_000));
          failures.push(`${candidate.label}: ${err.message}`);
          return false;
        }
        if (isCompanionError(err, UpstreamNetworkError)) {
          failures.push(`${candidate.label}: ${err.message}`);
          if (attempt < attemptsPerCandidate) await sleep(backoffMs * 2 ** (attempt - 1), signal);
          continue;
        }
        throw err;
      }
    }
    return false;
  };

  let found = false;
  try {
    for await (const candidate of deps.source.candidates(book, { signal, onStatus: (m) => report.status(m) })) {
      if (await tryCandidate(candidate)) {
        found = true;
        break;
      }
    }
  } catch (err) {
    // Final verdicts leave nothing behind (a partial of an attempt that cannot be made is of no use).
    if (isCompanionError(err, AttemptsExhaustedError) || isCompanionError(err, ListedMd5MismatchError)) {
      await rm(stagingPath, { force: true });
    }
    // Every host of a site is parked after 429s: come back when the first one may be asked again.
    if (isCompanionError(err, UpstreamHttpError) && err.status === 429) {
      throw new RetryLaterError(err.message, now() + (err.retryAfterMs ?? 5 * 60_000));
    }
    throw err;
  }
  if (!found) {
    const first = relayCandidates[0];
    if (relayFallback && first) {
      await rm(stagingPath, { force: true });
      throw new NeedsRelayError(first.site, relayCandidates, relayReason);
    }
    if (retryAtMs !== undefined) {
      throw new RetryLaterError(
        `All sources are busy; trying again later (${failures.at(-1) ?? 'no source'})`,
        retryAtMs,
      );
    }
    await rm(stagingPath, { force: true });
    throw new CompanionError(
      failures.length > 0
        ? `All sources failed. Last: ${failures.at(-1)}`
        : 'No download source was found for this book',
    );
  }

  try {
    if (deps.customScript) {
      report.status('Running custom script');
      await runCustomScript(deps.customScript, stagingPath, deps.customScriptTimeoutMs, signal);
    }
    report.status('Moving into the library');
    const format = await detectBookFormat(stagingPath, book.format, fetched);
    return await placeInLibrary(stagingPath, deps.ingestDir, buildFileName({ ...book, format }, deps.useBookTitle));
  } catch (err) {
    await rm(stagingPath, { force: true });
    throw err;
  }
}
