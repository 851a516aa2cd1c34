import { type CompanionClient, createCompanionClient } from '../lib/companion-client.js';
import { CompanionError, toCompanionErrorInfo } from '../lib/companion-error.js';
import { type ConnectionState, UNKNOWN_CONNECTION } from '../lib/messages.js';
import { companionDefaultsItem, connectionItem } from '../lib/settings.js';

/**
 * The background's view of the companion: a client built from the stored connection (rebuilt when it changes),
 * and the last known {@link ConnectionState}. Every feature asks this for its client, so a re-pair or a new URL
 * takes effect everywhere at once.
 */
export function createCompanionConnection({
  fetch: fetchImpl,
  classifyNetworkError,
  hasAccess,
}: Pick<Parameters<typeof createCompanionClient>[0], 'fetch' | 'classifyNetworkError'> & {
  /** Whether the extension may reach the URL (run-time host access can be withdrawn); unchecked when absent. */
  hasAccess?: (url: string) => Promise<boolean>;
} = {}) {
  let state: ConnectionState = UNKNOWN_CONNECTION;
  const listeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: Partial<ConnectionState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener(state);
  };

  async function getClient(): Promise<CompanionClient> {
    const connection = await connectionItem.getValue();
    return createCompanionClient({
      baseUrl: connection.url,
      token: connection.token,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
      ...(classifyNetworkError ? { classifyNetworkError } : {}),
    });
  }

  /** Pings the companion and records the result; an open companion (loopback, no users) needs no token. */
  async function test(): Promise<ConnectionState> {
    const connection = await connectionItem.getValue();
    const base = { url: connection.url, deviceName: connection.deviceName, checkedAtMs: Date.now() };
    try {
      const ping = await (await getClient()).ping();
      await companionDefaultsItem.setValue(ping.defaults);
      if (ping.authRequired && !ping.authenticated) {
        const error = connection.token
          ? new CompanionError('unauthorized', 'The companion refused this device’s token', 401)
          : new CompanionError('not-configured', 'This companion needs pairing');
        setState({
          ...base,
          status: 'unpaired',
          error: toCompanionErrorInfo(error),
          version: ping.version,
          capabilities: ping.capabilities,
        });
      } else
        setState({ ...base, status: 'online', error: null, version: ping.version, capabilities: ping.capabilities });
    } catch (err) {
      // /api/ping sits behind auth: a companion that needs pairing answers 401 before the ping body can say so.
      const info = toCompanionErrorInfo(err);
      if (info.reason === 'unauthorized') {
        const error = connection.token
          ? info
          : toCompanionErrorInfo(new CompanionError('not-configured', 'This companion needs pairing'));
        setState({ ...base, status: 'unpaired', error });
      } else if (info.reason === 'unreachable' && hasAccess && !(await hasAccess(connection.url).catch(() => true))) {
        // "Unreachable" from an origin the user withdrew access to is a missing permission, with its own way out.
        const missing = new CompanionError('permission-missing', `Bookrelay has no access to ${connection.url}`);
        setState({ ...base, status: 'offline', error: toCompanionErrorInfo(missing) });
      } else setState({ ...base, status: 'offline', error: info });
    }
    return state;
  }

  /** Records the outcome of any call: a failure marks the connection offline/unpaired, a success online. */
  function report(err?: unknown): void {
    if (err === undefined) {
      if (state.status !== 'online') setState({ status: 'online', error: null, checkedAtMs: Date.now() });
      return;
    }
    const info = toCompanionErrorInfo(err);
    const offline = ['unreachable', 'local-network-blocked', 'https-upgrade', 'not-bookrelay', 'timeout'];
    if (info.reason === 'unauthorized' || info.reason === 'not-configured')
      setState({ status: 'unpaired', error: info, checkedAtMs: Date.now() });
    else if (offline.includes(info.reason)) setState({ status: 'offline', error: info, checkedAtMs: Date.now() });
  }

  /** Runs `work` with the current client and records its outcome (online, offline, unpaired) in the state. */
  async function call<T>(work: (client: CompanionClient) => Promise<T>): Promise<T> {
    try {
      const value = await work(await getClient());
      report();
      return value;
    } catch (err) {
      report(err);
      throw err;
    }
  }

  return {
    getClient,
    test,
    call,
    get state(): ConnectionState {
      return state;
    },
    /** Records the outcome of any call: a failure marks the connection offline/unpaired, a success online. */
    report,
    subscribe(listener: (state: ConnectionState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type CompanionConnection = ReturnType<typeof createCompanionConnection>;
