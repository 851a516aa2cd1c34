import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ListsSection } from '../../../extension/ui/popup/lists-section.js';
import { CAPABILITIES } from '../../../shared/api.js';

describe("the popup's Lists section and the companion's capabilities", () => {
  // What the popup asks the background for (the background's side is a plain answer: no shelf watched).
  let asked: string[];

  beforeEach(() => {
    fakeBrowser.reset();
    asked = [];
    // The fake browser answers through sendResponse (Chrome's way), as the background's router does.
    fakeBrowser.runtime.onMessage.addListener(((
      message: unknown,
      _sender: unknown,
      sendResponse: (reply: unknown) => void,
    ) => {
      const type = (message as { type: string }).type;
      asked.push(type);
      sendResponse(type === 'lists:get' ? { ok: true, value: [] } : undefined);
      return true;
    }) as never);
  });
  afterEach(cleanup);

  it('shows the watched shelves when the ping announces "lists"', async () => {
    render(<ListsSection capabilities={[...CAPABILITIES]} onSearch={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Watched shelves' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/No shelf is watched/)).toBeTruthy());
    expect(asked).toEqual(['lists:get']);
  });

  it('hides itself, and never asks for lists, when the companion does not announce "lists" (an older companion)', async () => {
    const older = CAPABILITIES.filter((capability) => capability !== 'lists');
    const { container } = render(<ListsSection capabilities={older} onSearch={() => {}} />);
    expect(screen.queryByRole('heading', { name: 'Watched shelves' })).toBeNull();
    expect(screen.queryByRole('region')).toBeNull();
    expect(container.textContent).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual([]);
  });

  it('stays hidden until a ping has said what the companion can do', () => {
    const { container } = render(<ListsSection capabilities={undefined} onSearch={() => {}} />);
    expect(container.textContent).toBe('');
  });
});
