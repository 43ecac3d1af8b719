import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { controlsOf, MARGIN, readings, under, WCAG_NON_TEXT, type Reading } from './colour-scenes.js';
import { measureColours } from './contrast.js';

/**
 * The popup under forced colours, in either browser (colour-schemes-firefox.test.ts,
 * popup-forced-colours.test.ts): backgrounds are replaced by the system's, so a control shows only by
 * its border; keyboard focus must draw a ring; a disabled control reads as GrayText.
 */

/** The system colour `keyword` as this page computes it (`rgb(…)`), for comparing a computed colour to it. */
export function systemColour(page: Page, keyword: string): Promise<string> {
  return page.evaluate((keyword: string) => {
    const probe = document.createElement('span');
    probe.style.color = keyword;
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }, keyword);
}

export interface PopupForced {
  /** Texts of both popups under 5:1 (MARGIN: Firefox's placeholder was 4.59:1), computed or painted. */
  thin: Reading[];
  /** The enabled controls of the live tab's popup: their edge and focus ring contrast, as painted. */
  controls: { what: string; edge: number; ringBefore: number; ringFocused: number }[];
  /** The disabled controls of the other popup. */
  disabled: { what: string; color: string; opacity: string; edge: number }[];
  /** This browser's GrayText. */
  grayText: string;
}

/** `live`: the popup of a tab Gloss runs on; `unavailable`: the popup of one it cannot run on (its "Show conversations" disabled). */
export async function popupForcedFindings(live: Page, unavailable: Page): Promise<PopupForced> {
  const texts = [
    ...(await readings(live, await live.evaluate(measureColours, { host: null, within: 'body' }))),
    ...(await readings(unavailable, await unavailable.evaluate(measureColours, { host: null, within: 'body' }))),
  ];
  const round = (n: number) => Math.round(n * 100) / 100;
  const enabled = (await controlsOf(live)).filter((c) => !c.disabled);
  const disabled = (await controlsOf(unavailable)).filter((c) => c.disabled);
  return {
    thin: under(MARGIN, texts),
    controls: enabled.map((c) => ({ what: c.what, edge: round(c.edge), ringBefore: round(c.ringBefore), ringFocused: round(c.ringFocused) })),
    disabled: disabled.map((c) => ({ what: c.what, color: c.color, opacity: c.opacity, edge: round(c.edge) })),
    grayText: await systemColour(unavailable, 'GrayText'),
  };
}

const atLeast = (n: number) => expect.toSatisfy((v: number) => v >= n);
/** In the popup's order; "Change shortcuts" is Chromium's only (Firefox's shortcut settings have no address to open: its popup says the way). */
const popupControls = (kind: 'chromium' | 'firefox') => [
  'button#open-panel',
  ...(kind === 'chromium' ? ['button#shortcuts-change'] : []),
  'input[url]#settings-server',
  'input[text]#settings-name',
  'input[password]#settings-token',
  'button#settings-save',
];

/** What popupForcedFindings must find: WCAG's 3:1 for each edge and focus ring (nothing painted there before focus), GrayText at full opacity. */
export function popupForcedExpected(found: PopupForced, kind: 'chromium' | 'firefox'): PopupForced {
  return {
    thin: [],
    controls: popupControls(kind).map((what) => ({ what, edge: atLeast(WCAG_NON_TEXT), ringBefore: 1, ringFocused: atLeast(WCAG_NON_TEXT) })),
    disabled: [{ what: 'button#open-panel', color: found.grayText, opacity: '1', edge: atLeast(WCAG_NON_TEXT) }],
    grayText: found.grayText,
  };
}
