import type { Page } from 'puppeteer';
import type { Box } from './contrast.js';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: number[];
}

/**
 * The pixels the browser painted in `clip` (puppeteer's screenshot clip), decoded by a browser's own
 * image decoder (no PNG library in the project) in a blank tab: the page's CSP may forbid a data: URL.
 */
export async function pixelsOf(page: Page, clip: Box): Promise<Pixels> {
  return decoded(page, clip, (ctx) => ({ width: ctx.canvas.width, height: ctx.canvas.height, data: [...ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height).data] }), null);
}

/**
 * A screenshot of `clip` (or of the viewport, when null) drawn on a canvas in a blank tab, where
 * `use(context, arg)` reads it. `use` travels as source text, so everything it uses is inside it.
 */
async function decoded<T, A>(page: Page, clip: Box | null, use: (ctx: CanvasRenderingContext2D, arg: A) => T, arg: A): Promise<T> {
  await page.bringToFront();
  const png = await page.screenshot({ ...(clip ? { clip } : {}), encoding: 'base64' });
  const blank = await page.browser().newPage();
  try {
    await blank.evaluate(async (src: string) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      (globalThis as { shot?: CanvasRenderingContext2D }).shot = ctx;
    }, `data:image/png;base64,${png}`);
    const result = await blank.evaluate(
      (source: string, arg: unknown) => (new Function(`return (${source})`)() as (ctx: unknown, arg: unknown) => unknown)((globalThis as { shot?: unknown }).shot, arg),
      use.toString(),
      arg as unknown,
    );
    return result as T;
  } finally {
    await blank.close();
  }
}

export interface Rendered {
  /** WCAG contrast ratio of the ink against the background, as painted. */
  ratio: number;
  /** `r,g,b` of the colour most pixels of the box have. */
  background: string;
  /** `r,g,b` of the pixel that stands out most from it: a glyph's core, where antialiasing has not mixed the text colour with the background. */
  ink: string;
}

/**
 * The contrast of text as the browser painted it: one screenshot of the viewport, then for each box
 * (viewport coordinates, as support/contrast.ts gives them) its background and its strongest ink.
 * Antialiasing can only lower the figure (a glyph's edge mixes the two), so a pass is a real one.
 */
export async function renderedContrast(page: Page, boxes: Box[]): Promise<Rendered[]> {
  return decoded(
    page,
    null,
    (ctx, boxes) => {
      const luminance = (c: number[]) => {
        const [r, g, b] = c.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const contrast = (a: number[], b: number[]) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi! + 0.05) / (lo! + 0.05);
      };
      return boxes.map((box) => {
        const x = Math.max(0, Math.round(box.x));
        const y = Math.max(0, Math.round(box.y));
        const width = Math.max(1, Math.min(ctx.canvas.width - x, Math.round(box.width)));
        const height = Math.max(1, Math.min(ctx.canvas.height - y, Math.round(box.height)));
        const data = ctx.getImageData(x, y, width, height).data;
        const counts = new Map<string, number>();
        for (let i = 0; i < data.length; i += 4) {
          const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const background = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
        const under = background.split(',').map(Number);
        let ink = background;
        let ratio = 1;
        for (const key of counts.keys()) {
          const r = contrast(key.split(',').map(Number), under);
          if (r > ratio) [ink, ratio] = [key, r];
        }
        return { ratio, background, ink };
      });
    },
    boxes,
  );
}

/** The colour most pixels have: the background under text. */
export function dominant(p: Pixels): string {
  const counts = new Map<string, number>();
  for (let i = 0; i < p.data.length; i += 4) {
    const key = `${p.data[i]},${p.data[i + 1]},${p.data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** For each row, the share of its pixels that differ clearly from the dominant colour (ink: glyphs, lines). */
export function inkByRow(p: Pixels): number[] {
  const [r, g, b] = dominant(p).split(',').map(Number) as [number, number, number];
  const rows: number[] = [];
  for (let y = 0; y < p.height; y++) {
    let ink = 0;
    for (let x = 0; x < p.width; x++) {
      const i = (y * p.width + x) * 4;
      if (Math.abs(p.data[i]! - r) + Math.abs(p.data[i + 1]! - g) + Math.abs(p.data[i + 2]! - b) > 96) ink++;
    }
    rows.push(ink / p.width);
  }
  return rows;
}
