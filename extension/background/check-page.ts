import browser from 'webextension-polyfill';
import { type Challenge, detectChallenge } from '../../shared/detect-challenge.js';

/** What the page in a tab looks like right now (read with `scripting.executeScript`). */
export interface PageState {
  url: string;
  title: string;
  html: string;
  readyState: string;
}

/** Title, HTML and load state of the page; runs inside the tab, so it may only use the page's own globals. */
function readPageStateInPage(): PageState {
  return {
    url: location.href,
    title: document.title,
    html: document.documentElement ? document.documentElement.outerHTML.slice(0, 400_000) : '',
    readyState: document.readyState,
  };
}

/** Reads a tab's page through `scripting.executeScript` (needs the `scripting` permission and host access). */
export async function readPageWithScripting(tabId: number): Promise<PageState | undefined> {
  try {
    const [result] = await browser.scripting.executeScript({ target: { tabId }, func: readPageStateInPage });
    return (result?.result as PageState | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The wall on a page, judged from what the page shows (no status or headers are visible from inside a tab). */
export function detectPageChallenge(page: PageState): Challenge | undefined {
  return detectChallenge({ status: 200, headers: {}, body: page.html });
}

/** True for walls that wait for a person (a captcha or "manual check"); a JS check clears by itself. */
export function needsHuman(challenge: Challenge): boolean {
  return challenge.kind === 'cloudflare-captcha' || challenge.kind === 'ddos-guard-captcha';
}
