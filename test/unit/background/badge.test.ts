import { describe, expect, it } from 'vitest';
import { BADGE_BACKGROUND, BADGE_MAX, BADGE_NOT_LIVE, BADGE_TEXT, badgeLook, badgeText, badgeTitle, DEFAULT_TITLE, knownCount } from '../../../extension/background/badge.js';
import { toPendingOp } from '../../../extension/background/operations.js';
import { Page } from '../../../extension/background/page.js';
import { conversationCount } from '../../../extension/background/popup.js';
import { applySnapshot, type PageState } from '../../../extension/background/reducer.js';
import { bob, chat, target, uuid } from './fixtures.js';
import manifest from '../../../manifest.json' with { type: 'json' };

/** WCAG 2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('the toolbar badge: what it reads for a count', () => {
  it('spells out counts up to the cap, caps larger ones, and is empty for none or not known', () => {
    expect(badgeText(1)).toBe('1');
    expect(badgeText(42)).toBe('42');
    expect(badgeText(BADGE_MAX)).toBe('999');
    expect(badgeText(BADGE_MAX + 1)).toBe('999+');
    expect(badgeText(25_000)).toBe('999+');
    expect(badgeText(0)).toBe('');
    expect(badgeText(null)).toBe('');
  });

  it('fits the four characters a toolbar badge shows', () => {
    for (const n of [1, 9, 10, 99, 100, 999, 1000, 1_000_000]) expect(badgeText(n).length, String(n)).toBeLessThanOrEqual(4);
  });

  it('says the exact number in the tooltip, and only the name when nothing is known', () => {
    expect(badgeTitle(1)).toBe('Gloss — 1 conversation on this page');
    expect(badgeTitle(3)).toBe('Gloss — 3 conversations on this page');
    expect(badgeTitle(1234)).toBe('Gloss — 1234 conversations on this page');
    expect(badgeTitle(0)).toBe('Gloss — no conversations on this page yet');
    expect(badgeTitle(null)).toBe('Gloss');
  });

  it('the tooltip of a tab with nothing counted is the manifest\'s title', () => {
    expect(DEFAULT_TITLE).toBe(manifest.action.default_title);
  });

  it('its text has a contrast of at least 4.5:1 on its background, live or not', () => {
    for (const background of [BADGE_BACKGROUND, BADGE_NOT_LIVE]) {
      const [hi, lo] = [luminance(BADGE_TEXT), luminance(background)].sort((a, b) => b - a) as [number, number];
      expect((hi + 0.05) / (lo + 0.05), background).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('says in the tooltip when the count is not live, in the word the popup shows', () => {
    expect(badgeTitle(3, 'offline')).toBe('Gloss — 3 conversations on this page (offline, not live)');
    expect(badgeTitle(1, 'reconnecting')).toBe('Gloss — 1 conversation on this page (reconnecting, not live)');
    expect(badgeTitle(3, 'live')).toBe('Gloss — 3 conversations on this page');
    expect(badgeTitle(null, 'offline')).toBe('Gloss');
  });
});

describe('the toolbar badge: when a page\'s count is known', () => {
  const KEY = 'example.com/article';
  const loaded = async (cached: PageState | null) => {
    const page = new Page(KEY, 'https://example.com/article', () => Promise.resolve(cached));
    await page.loaded;
    return page;
  };

  it('not before the page\'s cached state is read', () => {
    const page = new Page(KEY, 'https://example.com/article', () => new Promise<never>(() => {}));
    expect(knownCount(page)).toBeNull();
    expect(knownCount(undefined)).toBeNull();
  });

  it('not for a page never in step with the server (nothing cached, not joined yet)', async () => {
    expect(knownCount(await loaded(null))).toBeNull();
  });

  it('from the cache, resolved conversations included, until the server\'s state replaces it', async () => {
    const cached = applySnapshot({ pageKey: KEY, seq: null, conversations: {}, deleted: [] }, 4, [chat(uuid(1)), chat(uuid(2), 'done', { resolved: true })]);
    const page = await loaded(cached);
    expect(knownCount(page)).toBe(2);
    page.state = applySnapshot(page.state, 5, [chat(uuid(2), 'done', { resolved: true })]);
    expect(knownCount(page)).toBe(1);
  });

  it('an empty page the server answered for is known: 0', async () => {
    expect(knownCount(await loaded({ pageKey: KEY, seq: 0, conversations: {}, deleted: [] }))).toBe(0);
  });
});

describe('the toolbar badge and the popup: one number, live or not', () => {
  const KEY = 'example.com/article';
  const URL = 'https://example.com/article';
  const loaded = async (cached: PageState | null) => {
    const page = new Page(KEY, URL, () => Promise.resolve(cached));
    await page.loaded;
    return page;
  };
  const joined = (page: Page) => Object.assign(page, { status: 'joined', synced: true });
  const createOffline = (page: Page, n: number) =>
    page.addOp(toPendingOp({ key: KEY, url: URL }, { type: 'create', broadcastId: uuid(100 + n), chat: { id: uuid(100 + n), target, text: 'written offline' } }, bob, 5_000), n);

  it('offline, a cached page shows the popup\'s count, grey, and says it is not live', async () => {
    const page = await loaded(applySnapshot({ pageKey: KEY, seq: null, conversations: {}, deleted: [] }, 4, [chat(uuid(1)), chat(uuid(2))]));
    expect(badgeLook(page, 'offline')).toEqual({ text: '2', title: 'Gloss — 2 conversations on this page (offline, not live)', color: BADGE_NOT_LIVE });
    expect(badgeLook(page, 'offline').text).toBe(String(conversationCount(page)));
  });

  it('offline, on a page never joined, the user\'s own conversations not sent yet: what the popup counts', async () => {
    const page = await loaded(null);
    createOffline(page, 1);
    createOffline(page, 2);
    expect(conversationCount(page)).toBe(2);
    expect(knownCount(page)).toBe(2);
    expect(badgeLook(page, 'offline')).toEqual({ text: '2', title: 'Gloss — 2 conversations on this page (offline, not live)', color: BADGE_NOT_LIVE });
  });

  it('grey until the page is joined and in step, blue after', async () => {
    const page = await loaded(applySnapshot({ pageKey: KEY, seq: null, conversations: {}, deleted: [] }, 4, [chat(uuid(1))]));
    expect(badgeLook(page, 'live')).toMatchObject({ text: '1', color: BADGE_NOT_LIVE, title: 'Gloss — 1 conversation on this page (reconnecting, not live)' });
    expect(badgeLook(joined(page), 'live')).toEqual({ text: '1', title: 'Gloss — 1 conversation on this page', color: BADGE_BACKGROUND });
    expect(badgeLook(page, 'reconnecting')).toMatchObject({ text: '1', color: BADGE_NOT_LIVE });
  });

  it('nothing known: empty, whatever the connection', async () => {
    expect(badgeLook(undefined, 'offline')).toMatchObject({ text: '', title: DEFAULT_TITLE });
    expect(badgeLook(await loaded(null), 'offline')).toMatchObject({ text: '', title: DEFAULT_TITLE });
  });
});
