// undici is the largest module the companion bundles (over a megabyte of source): it is loaded on the first
// outgoing request, not at start-up, so `/api/status` answers as soon as a bare server would (issue 14).
type Undici = typeof import('undici');
let loading: Promise<Undici> | undefined;

/** undici, imported once on first use. */
export function loadUndici(): Promise<Undici> {
  // A CommonJS package: Node's own import gives named exports and `default`; the bundle's split chunk only
  // `default` (module.exports). `default` holds everything in both.
  loading ??= import('undici').then((m) => (m as Undici & { default?: Undici }).default ?? m);
  return loading;
}
