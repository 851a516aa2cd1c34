import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api.js';

export type Load<T> =
  | { kind: 'loading' }
  | { kind: 'done'; value: T }
  | { kind: 'failed'; error: string; status?: number };

/** GETs `path` once (and again on `reload()`). */
export function useLoad<T>(path: string): [Load<T>, () => void] {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' });
  const reload = useCallback(() => {
    api<T>(path)
      .then((value) => setState({ kind: 'done', value }))
      .catch((err) => setState({ kind: 'failed', error: errorText(err), status: (err as { status?: number }).status }));
  }, [path]);
  useEffect(reload, [reload]);
  return [state, reload];
}
