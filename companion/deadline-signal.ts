/**
 * A signal that aborts when `parent` aborts or `ms` pass, whichever is first; call `clear()` when the work is
 * done. It owns a plain timer and one listener instead of `AbortSignal.any([parent, AbortSignal.timeout(ms)])`:
 * on Node 20 that combined signal is held weakly and never fires once garbage collection has run.
 */
export function deadlineSignal(ms: number, parent?: AbortSignal): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onParentAbort = () => {
    clear();
    controller.abort(parent?.reason);
  };
  const timer = setTimeout(() => {
    parent?.removeEventListener('abort', onParentAbort);
    controller.abort(new DOMException(`The operation timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  function clear() {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return { signal: controller.signal, clear };
}

/** Runs `work` with a {@link deadlineSignal}; the timer and the listener are gone when it settles. */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = deadlineSignal(ms, parent);
  try {
    return await work(deadline.signal);
  } finally {
    deadline.clear();
  }
}
