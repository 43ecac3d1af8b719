import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { MARGIN, readings, under, WCAG_NON_TEXT, type Reading } from './colour-scenes.js';
import { measureColours } from './contrast.js';
import { renderedContrast } from './pixels.js';

/**
 * The popup under forced colours, in either browser (colour-schemes-firefox.test.ts,
 * popup-forced-colours.test.ts): backgrounds are replaced by the system's, so a control shows only by
 * its border; keyboard focus must draw a ring; a disabled control reads as GrayText.
 */

export interface ControlLook {
  /** `tag[type]#testid` */
  what: string;
  disabled: boolean;
  /** Computed text colour and opacity. */
  color: string;
  opacity: string;
  /** Rendered contrast of the control's left edge (its border) against the 4 pixels outside it. */
  edge: number;
  /** Rendered contrast of what is painted in the 6 pixels outside its left edge against their background, without focus and with keyboard focus. */
  ringBefore: number;
  ringFocused: number;
}

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

/**
 * How each button and text field of an extension page (the popup) looks: whether its edge shows
 * (under forced colours backgrounds are replaced, so a control without a border has none) and
 * whether keyboard focus draws a ring around it (`:focus-visible`, checked).
 */
export async function controlsOf(page: Page): Promise<ControlLook[]> {
  const controls = await page.$$eval('button, input:not([type="checkbox"]):not([type="hidden"])', (els) =>
    els
      .filter((el) => el.checkVisibility())
      .map((el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return {
          what: `${el.tagName.toLowerCase()}${el instanceof HTMLInputElement ? `[${el.type}]` : ''}#${(el as HTMLElement).dataset.testid ?? ''}`,
          testid: (el as HTMLElement).dataset.testid ?? '',
          disabled: (el as HTMLButtonElement).disabled,
          color: s.color,
          opacity: s.opacity,
          rect: { x: r.x, y: r.y, width: r.width, height: r.height },
          border: parseFloat(s.borderLeftWidth),
        };
      }),
  );
  const strip = (c: (typeof controls)[number], from: number, width: number) => ({ x: c.rect.x + from, y: c.rect.y + c.rect.height / 4, width, height: c.rect.height / 2 });
  const edges = await renderedContrast(page, controls.map((c) => strip(c, -4, 4 + Math.max(1, c.border))));
  const before = await renderedContrast(page, controls.map((c) => strip(c, -6, 6)));
  const looks: ControlLook[] = [];
  for (const [i, c] of controls.entries()) {
    let ringFocused = 0;
    if (!c.disabled) {
      // The tab in front (each screenshot is decoded in a tab opened and closed after it), then a key
      // pressed: the browser then treats the focus that follows as keyboard focus (`:focus-visible`), as after Tab.
      await page.bringToFront();
      await page.keyboard.press('Shift');
      const shown = await page.evaluate((id: string) => {
        const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
        el.focus();
        return el.matches(':focus-visible');
      }, c.testid);
      if (!shown) throw new Error(`${c.what} took focus without :focus-visible`);
      ringFocused = (await renderedContrast(page, [strip(c, -6, 6)]))[0]!.ratio;
    }
    looks.push({ what: c.what, disabled: c.disabled, color: c.color, opacity: c.opacity, edge: edges[i]!.ratio, ringBefore: before[i]!.ratio, ringFocused });
  }
  return looks;
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

/** `live`: the popup of a tab Gloss runs on; `unavailable`: the popup of one it cannot run on (its "Open conversations" disabled). */
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
const POPUP_CONTROLS = ['button#open-panel', 'input[url]#settings-server', 'input[text]#settings-name', 'input[password]#settings-token', 'button#settings-save'];

/** What popupForcedFindings must find: WCAG's 3:1 for each edge and focus ring (nothing painted there before focus), GrayText at full opacity. */
export function popupForcedExpected(found: PopupForced): PopupForced {
  return {
    thin: [],
    controls: POPUP_CONTROLS.map((what) => ({ what, edge: atLeast(WCAG_NON_TEXT), ringBefore: 1, ringFocused: atLeast(WCAG_NON_TEXT) })),
    disabled: [{ what: 'button#open-panel', color: found.grayText, opacity: '1', edge: atLeast(WCAG_NON_TEXT) }],
    grayText: found.grayText,
  };
}
