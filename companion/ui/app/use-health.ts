import { useEffect, useState } from 'preact/hooks';
import type { HealthResponse } from '../../../shared/api.js';
import { api } from './api.js';

const HEALTH_POLL_MS = 10_000;

/** The problems `/api/health` reports (a full disk), read at start and every 10 s; [] when there are none. */
export function useHealthProblems(): string[] {
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    let stopped = false;
    const read = () =>
      api<HealthResponse>('/health')
        .then((health) => {
          if (!stopped) setProblems((health.problems ?? []).map((problem) => problem.message));
        })
        .catch(() => {});
    read();
    const timer = setInterval(read, HEALTH_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return problems;
}
