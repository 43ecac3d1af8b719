import { describe, expect, it } from 'vitest';
import { formatFullTime, formatTime } from '../../../extension/content/ui/format-time.js';

/** The formatters made once (format-time.ts) give what Date's toLocale*String methods give. */
describe('formatTime', () => {
  const at = Date.UTC(2026, 11, 4, 19, 16, 41);

  it('reads as toLocaleTimeString (the short time) the same day, toLocaleDateString another day', () => {
    const date = new Date(at);
    expect(formatTime(at, at + 60_000)).toBe(date.toLocaleTimeString(undefined, { timeStyle: 'short' }));
    expect(formatTime(at, at + 3 * 86_400_000)).toBe(date.toLocaleDateString());
  });

  it('gives the full date and time as toLocaleString', () => {
    expect(formatFullTime(at)).toBe(new Date(at).toLocaleString());
  });

  it('writes a morning hour as the locale does: no leading zero on a 12-hour clock', () => {
    const nine = new Date(2026, 11, 4, 9, 5).getTime();
    const twelveHour = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12 === true;
    expect(formatTime(nine, nine + 60_000)).toBe(new Date(nine).toLocaleTimeString(undefined, { timeStyle: 'short' }));
    if (twelveHour) expect(formatTime(nine, nine + 60_000)).toMatch(/^9:05\s?AM$/);
  });
});
