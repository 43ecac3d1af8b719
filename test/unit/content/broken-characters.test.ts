// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startTestController } from './controller-harness.js';
import { ALICE } from './fixtures.js';

/**
 * Half of an emoji (a lone surrogate) is no character: the server refuses a comment or quote holding
 * one (protocol/well-formed.ts), since it could not store it as sent. The tab says so to the writer at
 * once, instead of sending what the worker would drop and the server refuse.
 */
let controller: AbortController;
const startUrl = location.href;

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/broken');
});

afterEach(() => {
  controller.abort();
  document.getSelection()?.removeAllRanges();
  document.body.innerHTML = '';
  history.replaceState(null, '', startUrl);
  vi.useRealTimers();
});

async function selectIn(text: string, word: string) {
  document.body.innerHTML = '<p></p>';
  const p = document.querySelector('p')!;
  p.textContent = text;
  const node = p.firstChild as Text;
  const range = document.createRange();
  range.setStart(node, text.indexOf(word));
  range.setEnd(node, text.indexOf(word) + word.length);
  document.getSelection()!.removeAllRanges();
  document.getSelection()!.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
  await vi.advanceTimersByTimeAsync(150);
}

async function started() {
  const { ports, view, controller: c } = startTestController();
  controller = c;
  await vi.advanceTimersByTimeAsync(0);
  ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  return { ports, view };
}

const creates = (ports: { sent: unknown[] }[]) => ports.flatMap((p) => p.sent).filter((m) => (m as { type: string }).type === 'create');

it('refuses a comment holding half of an emoji, and sends nothing', async () => {
  const { ports, view } = await started();
  await selectIn('alpha beta gamma', 'beta');
  view.actions!.openComposer();
  expect(view.actions!.submitComposer('nice \ud83d')).toMatch(/broken character/);
  expect(creates(ports)).toEqual([]);
  expect(view.actions!.submitComposer('nice \ud83d\ude00')).toBeNull();
  expect(creates(ports)).toHaveLength(1);
});

it('refuses a selection holding half of an emoji with a message that says so, and sends nothing', async () => {
  const { ports, view } = await started();
  await selectIn('alpha be\ud83dta gamma', 'be\ud83dta');
  view.actions!.openComposer();
  expect(view.actions!.submitComposer('about it')).toMatch(/broken character/);
  expect(creates(ports)).toEqual([]);
});
