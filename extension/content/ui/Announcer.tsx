import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConnectionReason, ConnectionState } from '../../../protocol/runtime.js';
import { sayAgain, tellTogether } from '../state/announce.js';
import type { ViewState } from '../view.js';
import { ANNOTATE_KEY } from './AnnotateButton.js';
import { BUSY_TEXT, REFUSED_TEXT } from './TopBar.js';

/** How long a viewer count must hold before a screen reader hears it: people come and go in bursts. */
export const VIEWERS_SETTLE_MS = 5_000;

interface Props {
  connection: ConnectionState;
  reason: ConnectionReason | null;
  viewers: number;
  /** The Annotate button shows: it sits at the end of the document, where no one reading on finds it. */
  annotatable: boolean;
  announcement: ViewState['announcement'];
  /** The panel's search, as the user last changed it (`key`, a new object each change), and how many it keeps. */
  filterTold: { key: object; text: string } | null;
}

/**
 * The one polite live region (visually hidden): the top bar's count changes with every arrival and
 * departure, and a live count would talk over the page on every tick. Told here instead: a count that
 * has held for a while and differs from the last one told (the first count of a page is not news, nor
 * is every page load), and going offline, being turned away by a busy server (at its limit of
 * connections from the user's network), or coming back from either (not the short reconnects that a
 * suspended Firefox background makes every half minute). Each is told once: a busy server is retried
 * every few seconds, and its tab reads `connecting` or `reconnecting` between the refusals (the port's
 * own state knows no reason), which is no news. Also told: that a selection can be
 * annotated (once per selection, not as it grows), and the controller's announcements (a comment of
 * the user's posted, or kept to send later), and what the panel's search keeps, each time the user
 * changes it (not when live changes move the count). Refusals are not here: they are alerts where they show.
 * Several tellings in one render are said together, in turn (state/announce.ts tellTogether).
 */
export function Announcer({ connection, reason, viewers, annotatable, announcement, filterTold }: Props) {
  const [said, setSaidNow] = useState('');
  /** What the region showed before the tellings of this render, and those tellings, in order. */
  const batch = useRef<{ before: string; texts: string[] }>({ before: '', texts: [] });
  // Every telling since the last render is said, in turn (state/announce.ts tellTogether): two in one
  // render (a comment posted as Gloss comes back online) each reach the screen reader. The same
  // words again (a second reply posted) are still a change to the region (sayAgain).
  const setSaid = (text: string) => {
    batch.current.texts.push(text);
    setSaidNow(sayAgain(batch.current.before, tellTogether(batch.current.texts)));
  };
  // Right after every render (a layout effect, before the tellings of the effects below, and before a
  // timer's telling can come between): what the region shows is said; the next telling starts afresh,
  // so what was told before is not said again with it.
  useLayoutEffect(() => {
    batch.current = { before: said, texts: [] };
  });
  const known = useRef<number | null>(null);
  /** Why Gloss is not connected, as the region last told it; null once it said Gloss is back (or never said otherwise). */
  const down = useRef<'offline' | 'busy' | null>(null);

  useEffect(() => {
    if (connection !== 'live') return;
    const settled = setTimeout(() => {
      const before = known.current;
      known.current = viewers;
      if (before !== null && before !== viewers) setSaid(`${viewers} viewing`);
    }, VIEWERS_SETTLE_MS);
    return () => clearTimeout(settled);
  }, [connection, viewers]);

  useEffect(() => {
    // A reconnect without a reason given keeps what was told: it is the same outage going on.
    const now = connection === 'live' ? null : reason === 'busy' ? 'busy' : connection === 'offline' ? 'offline' : down.current;
    if (now === down.current) return;
    down.current = now;
    if (now === null) setSaid('Gloss is back online');
    else if (now === 'busy') setSaid(`Gloss is not connected. ${BUSY_TEXT}. What you write is kept in this browser and sent when it is back.`);
    else
      setSaid(
        reason === 'refused'
          ? `Gloss is offline. ${REFUSED_TEXT}. What you write is kept in this browser.`
          : 'Gloss is offline: what you write is kept in this browser and sent when it is back',
      );
  }, [connection, reason]);

  useEffect(() => {
    if (annotatable) setSaid(`Press ${ANNOTATE_KEY.toUpperCase()} to annotate the selected text`);
  }, [annotatable]);

  useEffect(() => {
    if (announcement) setSaid(announcement.text);
  }, [announcement?.serial]);

  useEffect(() => {
    if (filterTold) setSaid(filterTold.text);
  }, [filterTold?.key]);

  return (
    <div class="sr-only" role="status" data-testid="announcer">
      {said}
    </div>
  );
}
