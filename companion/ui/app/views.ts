import type { ComponentType } from 'preact';
import type { QueueState } from './use-queue.js';

/** What every view gets: the live queue, whether the user is an administrator, and a way to say something. */
export interface ViewProps {
  queue: QueueState;
  isAdmin: boolean;
  /** Signed in with a session (auth on): the user has a password to change. */
  authRequired: boolean;
  notify: (message: string, isError?: boolean) => void;
}

/** One tab of the page; add a view by adding an entry to the list in app.tsx (its id is the URL's `#hash`). */
export interface ViewDefinition {
  id: string;
  label: string;
  component: ComponentType<ViewProps>;
  /** Shown only to administrators (or in open mode). */
  adminOnly?: boolean;
}
