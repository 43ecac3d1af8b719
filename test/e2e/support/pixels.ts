import type { Page } from 'puppeteer';

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
export async function pixelsOf(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<Pixels> {
  await page.bringToFront();
  const png = await page.screenshot({ clip, encoding: 'base64' });
  const blank = await page.browser().newPage();
  try {
    return await blank.evaluate(async (src: string) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return { width: canvas.width, height: canvas.height, data: [...ctx.getImageData(0, 0, canvas.width, canvas.height).data] };
    }, `data:image/png;base64,${png}`);
  } finally {
    await blank.close();
  }
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
