import type { OriginName } from './origin-name.js';

export type FaultKind = Fault['kind'];

/** A misbehaviour the world injects into matching requests. */
export type Fault =
  /** Sends the headers (with the full Content-Length) and N body bytes, then destroys the socket. */
  | { kind: 'drop-after'; bytes: number }
  /** Answers with this status; 503 gets the real nginx capture, 429 a `Retry-After` header. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: string; contentType?: string }
  /** 200 text/html (a real AA page unless `html` is given) instead of the file. */
  | { kind: 'html-instead'; html?: string }
  /**
   * Same status, headers and length, but every body byte after the first 16 is altered (XOR with `variant`,
   * default 0x5a): equal variants give the same wrong file (same md5), different variants different ones.
   */
  | { kind: 'wrong-bytes'; variant?: number }
  /** Serves the whole file with 200, as if no Range header had been sent (a server that ignores Range). */
  | { kind: 'ignore-range' }
  /** Answers `bytes=N-` with the 206 of `bytes=(N+by)-` (a CDN that miscounts), Content-Range telling the truth. */
  | { kind: 'shift-range'; by: number }
  /** Throttles the body (default 64 KiB/s) and optionally delays the headers. */
  | { kind: 'slow'; bytesPerSecond?: number; headerDelayMs?: number }
  /** Destroys the connection at once (origin-wide: at accept; with md5/path: when the request arrives). */
  | { kind: 'dead' };

/** Which requests a fault hits: the origin, optionally one book and/or a pathname prefix. */
export interface FaultTarget {
  origin: OriginName;
  md5?: string;
  path?: string;
}

/** How often a fault fires before it disarms; default: until cleared. */
export interface FaultLimit {
  once?: boolean;
  times?: number;
}

export interface FaultHandle {
  /** Requests this fault has hit so far. */
  readonly hits: number;
  remove(): void;
}

export interface FaultControl {
  /** Arms `fault` for `target`; the newest matching fault wins. `once`/`times` may sit on the fault or in `limit`. */
  set(target: FaultTarget, fault: Fault & FaultLimit, limit?: FaultLimit): FaultHandle;
  /** Removes all faults, or those whose target matches the given fields. */
  clear(target?: Partial<FaultTarget>): void;
  readonly armed: readonly { target: FaultTarget; fault: Fault; remaining: number }[];
}

export interface RequestContext {
  origin: OriginName;
  path: string;
  md5?: string;
}

export interface FaultEngine extends FaultControl {
  /** Consumes and returns the fault for a request (or, with `connection`, only origin-wide `dead`). */
  take(context: RequestContext | { origin: OriginName; connection: true }): Fault | undefined;
}

interface Armed {
  target: FaultTarget;
  fault: Fault;
  remaining: number;
  hits: number;
}

function targetMatches(target: FaultTarget, context: RequestContext): boolean {
  if (target.origin !== context.origin) return false;
  if (target.md5 !== undefined && target.md5.toLowerCase() !== context.md5) return false;
  if (target.path !== undefined && !context.path.startsWith(target.path)) return false;
  return true;
}

/** Creates the fault registry shared by all origin servers. */
export function createFaultEngine(): FaultEngine {
  const armed: Armed[] = [];

  function consume(entry: Armed): Fault {
    entry.hits++;
    entry.remaining--;
    if (entry.remaining <= 0) armed.splice(armed.indexOf(entry), 1);
    return entry.fault;
  }

  return {
    armed,
    set(target, fault, limit = {}) {
      const times = limit.times ?? fault.times ?? (limit.once || fault.once ? 1 : Number.POSITIVE_INFINITY);
      const { once: _once, times: _times, ...bare } = fault;
      const entry: Armed = { target, fault: bare as Fault, remaining: times, hits: 0 };
      armed.push(entry);
      return {
        get hits() {
          return entry.hits;
        },
        remove() {
          const index = armed.indexOf(entry);
          if (index !== -1) armed.splice(index, 1);
        },
      };
    },
    clear(target) {
      for (let i = armed.length - 1; i >= 0; i--) {
        const entry = armed[i] as Armed;
        const hit =
          !target ||
          ((target.origin === undefined || target.origin === entry.target.origin) &&
            (target.md5 === undefined || target.md5 === entry.target.md5) &&
            (target.path === undefined || target.path === entry.target.path));
        if (hit) armed.splice(i, 1);
      }
    },
    take(context) {
      for (let i = armed.length - 1; i >= 0; i--) {
        const entry = armed[i] as Armed;
        if ('connection' in context) {
          const wholeOrigin = entry.target.md5 === undefined && entry.target.path === undefined;
          if (entry.fault.kind === 'dead' && wholeOrigin && entry.target.origin === context.origin)
            return consume(entry);
        } else if (targetMatches(entry.target, context)) {
          return consume(entry);
        }
      }
      return undefined;
    },
  };
}
