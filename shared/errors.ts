/** Machine-readable error codes; `error` stays a plain string because CWA-BD clients read it so. */
export type ApiErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'protocol-mismatch'
  | 'upstream-unreachable'
  | 'disk-full'
  | 'internal';

/** The JSON body of every error response. */
export interface ApiError {
  error: string;
  code?: ApiErrorCode;
}
