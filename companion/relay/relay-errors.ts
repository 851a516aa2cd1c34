import type { RelayCandidate } from '../../shared/relay-api.js';
import { CompanionError } from '../errors.js';

/** The companion cannot fetch the file itself: the job waits for the browser to fetch `candidates` and upload it. */
export class NeedsRelayError extends CompanionError {
  override name = 'NeedsRelayError' as const;
  constructor(
    readonly site: string,
    readonly candidates: RelayCandidate[],
    readonly reason: string,
  ) {
    super(`Waiting for the browser to download the file from ${site}: ${reason}`);
  }
}

/** No queue item has that id. */
export class RelayJobUnknownError extends CompanionError {
  override name = 'RelayJobUnknownError' as const;
}

/** An upload for a job that is not waiting for the browser (finished, cancelled, still on the server). */
export class RelayNotWaitingError extends CompanionError {
  override name = 'RelayNotWaitingError' as const;
}

/** A chunk that does not start where the stored file ends, or a second upload of the same job at once. */
export class RelayOffsetError extends CompanionError {
  override name = 'RelayOffsetError' as const;
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** More bytes than the upload announced (or than the job expects), or a chunk over the size limit. */
export class RelayTooLargeError extends CompanionError {
  override name = 'RelayTooLargeError' as const;
}

/** A malformed chunk: missing or bad `Content-Range`, or a body whose length does not match it. */
export class RelayRangeError extends CompanionError {
  override name = 'RelayRangeError' as const;
}

/** The complete upload is not the book: its md5 differs. The job fails; nothing reaches the library. */
export class RelayChecksumError extends CompanionError {
  override name = 'RelayChecksumError' as const;
}
