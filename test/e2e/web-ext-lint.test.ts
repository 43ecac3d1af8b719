import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';
import { removeTemp, snapshotDist } from './support/dist.js';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}
interface LintReport {
  count: number;
  summary: { errors: number; notices: number; warnings: number };
  errors: LintMessage[];
  warnings: LintMessage[];
}

let copy: string | undefined;
afterAll(() => removeTemp(copy && path.dirname(copy)));

/** Firefox's add-on linter (addons-linter, through web-ext) on the Firefox build: no errors allowed. */
it('web-ext lint reports 0 errors on dist/firefox', async () => {
  copy = snapshotDist('firefox');
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'web-ext'), ['lint', '--source-dir', copy, '--no-config-discovery', '--output', 'json'], {
    cwd: ROOT,
    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const start = out.indexOf('{');
  if (start < 0) throw new Error(`web-ext lint printed no JSON (exit ${code}):\n${out}\n${err}`);
  const report = JSON.parse(out.slice(start)) as LintReport;
  const show = (list: LintMessage[]) => list.map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`);
  if (report.summary.warnings > 0) console.log(`web-ext lint warnings:\n${show(report.warnings).join('\n')}`);
  expect(show(report.errors)).toEqual([]);
  expect(report.summary.errors).toBe(0);
});
