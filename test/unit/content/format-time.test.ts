import { describe, expect, it } from 'vitest';
import { formatFullTime, formatTime } from '../../../extension/content/ui/format-time.js';

/** The formatters made once (format-time.ts) give what Date's toLocale*String methods give. */
describe('formatTime', () => {
  const at = Date.UTC(2026, 11, 4, 19, 16, 41);

  it('reads as toLocaleTimeString (hour and minute) the same day, toLocaleDateString another day', () => {
    const date = new Date(at);
    expect(formatTime(at, at + 60_000)).toBe(date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    expect(formatTime(at, at + 3 * 86_400_000)).toBe(date.toLocaleDateString());
  });

  it('gives the full date and time as toLocaleString', () => {
    expect(formatFullTime(at)).toBe(new Date(at).toLocaleString());
  });
});
