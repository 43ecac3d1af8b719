// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { TabState } from '../../../protocol/runtime.js';
import { TabStatus } from '../../../extension/popup/TabStatus.js';
import { conversationsText, parseTabState, viewingText } from '../../../extension/popup/tab-state.js';

const STATE: TabState = {
  connection: 'live',
  self: { id: 'u1', name: 'Alice' },
  pageKey: 'example.com/',
  viewers: 2,
  users: [
    { id: 'u1', name: 'Alice' },
    { id: 'u2', name: '<img src=x onerror=alert(1)>' },
  ],
  conversations: 3,
};

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) {
    render(null, container);
    container.remove();
    container = null;
  }
  vi.restoreAllMocks();
});

const byId = (id: string) => container!.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;

describe('tab-state answer', () => {
  it('accepts the background answer and rejects anything else', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(parseTabState(STATE)).toEqual(STATE);
    expect(parseTabState({ ...STATE, connection: 'great' })).toBeNull();
    expect(parseTabState(undefined)).toBeNull();
  });

  it('formats the counts as the tests read them', () => {
    expect(viewingText(2)).toBe('2 viewing');
    expect(conversationsText(3)).toBe('3 conversations');
    expect(conversationsText(1)).toBe('1 conversation');
  });
});

describe('TabStatus', () => {
  it('shows connection, viewers, users as text and conversations, and asks to open the panel', async () => {
    container = document.createElement('div');
    document.body.appendChild(container);
    const openPanel = vi.fn(async () => true);
    await act(async () => {
      render(<TabStatus load={async () => STATE} onOpenPanel={openPanel} />, container!);
    });
    await vi.waitFor(() => expect(byId('popup-connection').textContent).toBe('live'));
    expect(byId('popup-connection').textContent).toBe('live');
    expect(byId('popup-viewers').textContent).toBe('2 viewing');
    expect(byId('popup-conversations').textContent).toBe('3 conversations');
    expect([...byId('popup-users').querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Alice', '<img src=x onerror=alert(1)>']);
    expect(container.querySelector('img')).toBeNull();
    await act(async () => byId('open-panel').click());
    expect(openPanel).toHaveBeenCalledTimes(1);
  });

  it('disables the panel button on a page that cannot be annotated', async () => {
    container = document.createElement('div');
    document.body.appendChild(container);
    await act(async () => {
      render(<TabStatus load={async () => ({ ...STATE, pageKey: null, viewers: 0, users: [], conversations: 0 })} onOpenPanel={async () => false} />, container!);
    });
    await vi.waitFor(() => expect(container!.querySelector('.muted')?.textContent).toBe('Gloss cannot annotate this page.'));
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(true);
    expect(byId('popup-viewers').textContent).toBe('0 viewing');
  });

  it('keeps saying the panel could not be opened across its refreshes, until the next click works', async () => {
    vi.useFakeTimers();
    try {
      container = document.createElement('div');
      document.body.appendChild(container);
      let opens = false;
      await act(async () => {
        render(<TabStatus load={async () => STATE} onOpenPanel={async () => opens} />, container!);
      });
      const click = () => act(async () => {
        byId('open-panel').click();
        await vi.advanceTimersByTimeAsync(0);
      });
      await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
      expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(false);
      await click();
      const said = () => [...container!.querySelectorAll('.message.bad')].map((p) => p.textContent);
      expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
      // The popup refreshes the tab's state every second.
      await act(async () => void (await vi.advanceTimersByTimeAsync(3_000)));
      expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
      opens = true;
      await click();
      expect(said()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
