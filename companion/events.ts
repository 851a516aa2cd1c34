import type { CompanionEvent } from '../shared/events.js';

export type EventListener = (event: CompanionEvent) => void;

/** In-process pub/sub: the queue publishes, SSE clients and the clearance broker subscribe. */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  const internal = new Set<EventListener>();
  return {
    publish(event: CompanionEvent): void {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A broken subscriber (e.g. a closed SSE stream) must not stop the others.
        }
      }
    },
    /**
     * Returns the unsubscribe function. `internal` listeners (the companion's own, e.g. notifications) are not
     * counted in {@link size}, which says whether a client (an extension's SSE stream) is listening.
     */
    subscribe(listener: EventListener, { internal: isInternal = false }: { internal?: boolean } = {}): () => void {
      listeners.add(listener);
      if (isInternal) internal.add(listener);
      return () => {
        listeners.delete(listener);
        internal.delete(listener);
      };
    },
    /** Listening clients (internal listeners excluded). */
    get size(): number {
      return listeners.size - internal.size;
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
