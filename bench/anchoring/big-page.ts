import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/proc.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'hypothesis-baselines', 'wikipedia-regression-testing.html');

/**
 * A large real-world-like page: the saved Wikipedia article (Hypothesis' fixture) with its body
 * repeated until the HTML is about `targetBytes`. Each copy is varied (some words capitalised,
 * depending on the copy) so that quotes are not all repeated verbatim, as on a real long page;
 * copies after the first drop their inline scripts so the varied text never lands in code.
 */
export function buildBigPage(targetBytes = 500_000): string {
  const html = fs.readFileSync(FIXTURE, 'utf8');
  const open = html.indexOf('<body');
  const bodyStart = html.indexOf('>', open) + 1;
  const bodyEnd = html.lastIndexOf('</body>');
  const head = html.slice(0, bodyStart);
  const body = html.slice(bodyStart, bodyEnd);
  const plain = body.replace(/<script[\s\S]*?<\/script>/g, '');
  const copies: string[] = [body];
  let size = head.length + body.length + 20;
  for (let k = 1; size < targetBytes; k++) {
    let word = 0;
    const varied = plain.replace(/>([^<]+)</g, (_m, text: string) => {
      const t = text.replace(/\b[a-z]{4,}\b/g, (w) => (++word * 31 + k * 17) % 7 === 0 ? w[0]!.toUpperCase() + w.slice(1) : w);
      return `>${t}<`;
    });
    const copy = `<section class="copy-${k}">${varied}</section>`;
    copies.push(copy);
    size += copy.length;
  }
  return `${head}${copies.join('\n')}</body></html>`;
}
