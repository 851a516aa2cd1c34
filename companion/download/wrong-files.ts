import { CompanionError } from '../errors.js';

/**
 * Two sources served the same file and its md5 is not the one AA lists: the book is what the mirrors hold, not a
 * transfer error, so trying more sources would only download it again. Final (never retried).
 */
export class ListedMd5MismatchError extends CompanionError {
  override name = 'ListedMd5MismatchError' as const;
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly sources: readonly string[],
  ) {
    super(
      `Every source serves a different file than Anna's Archive lists (md5 ${actual} from ${sources.join(' and ')}, listed ${expected}); nothing was placed`,
    );
  }
}

/** Every attempt an item may make (MAX_RETRY) was used. Final (never retried). */
export class AttemptsExhaustedError extends CompanionError {
  override name = 'AttemptsExhaustedError' as const;
}

/** Remembers which source served which wrong md5 for one book. */
export function createWrongFiles(expected: string) {
  const seen = new Map<string, string>();
  return {
    /** Records a wrong file; throws {@link ListedMd5MismatchError} when another source served the same one. */
    record(source: string, actual: string): void {
      const other = seen.get(actual);
      if (other !== undefined && other !== source) throw new ListedMd5MismatchError(expected, actual, [other, source]);
      seen.set(actual, source);
    },
  };
}
