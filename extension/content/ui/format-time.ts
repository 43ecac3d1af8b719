/**
 * The formats of a comment's time, each made once: `Date#toLocale*String` builds a new formatter on
 * every call, and a panel of 5,000 conversations called it 15,000 times a render (1.5 s of the
 * 2.6 s a render took, docs/benchmarks.md section 8). The options are the ones those methods use, so
 * the text is the same: the locale's short time of day, a numeric date, a numeric date and time.
 */
let formats: { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat; full: Intl.DateTimeFormat } | null = null;

function formatsNow() {
  formats ??= {
    // The locale's own short time: "9:05 PM" in en-US, "21:05" in en-GB. Two-digit hours read "09:05 PM", which a
    // 12-hour clock never writes (UX review).
    time: new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }),
    date: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric' }),
    full: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
  };
  return formats;
}

/** A short local time for a comment; the full date is in the element's title. */
export function formatTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? formatsNow().time.format(date) : formatsNow().date.format(date);
}

/** The full local date and time (what `Date#toLocaleString()` gives), for a title. */
export function formatFullTime(ms: number): string {
  return formatsNow().full.format(new Date(ms));
}
