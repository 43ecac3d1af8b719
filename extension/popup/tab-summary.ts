import type { TabState } from '../../protocol/runtime.js';

/**
 * How long the tab must be `not-running` before the popup says so. A tab's script reconnects within a
 * moment after the background restarts, and one that has just loaded connects a moment after the
 * page reports itself loaded: until then the honest word is "connecting", not "not running". A
 * timer of the popup's own: the background pushes the state, and pushes nothing while it holds.
 */
export const NOT_RUNNING_AFTER_MS = 2_000;

/** What the popup has seen of its tab so far, for the words of the state it shows. */
export interface Seen {
  /** The tab has been `not-running` for NOT_RUNNING_AFTER_MS. */
  notRunningLasted: boolean;
  /** The tab's script was connected at some state before. */
  wasConnected: boolean;
  /** The popup's port to the background is up: the state is current. */
  linked: boolean;
  /** The browser has a network (`navigator.onLine`): tells "no network" from "no server". */
  online: boolean;
  /**
   * The last word the background pushed for the tab's connection was `offline`. The tab's bar keeps
   * it through a stopped background (content/port/connection.ts: Firefox suspends an idle one every
   * 30 s, offline or not), so the popup does too, instead of blinking to `reconnecting`.
   */
  toldOffline: boolean;
}

export interface Summary {
  /** The badge: the tab's own connection word while its script runs, else what the page is. */
  badge: string;
  /** CSS class of the badge. */
  tone: string;
  note: string | null;
  /** The counts, viewers and panel button are about a page Gloss runs on. */
  annotatable: boolean;
  /** A reload would start Gloss on the page, if anything does. */
  reloadable?: boolean;
}

const UNSUPPORTED =
  'Gloss cannot run on this page: browsers keep extensions off their own pages and the extension stores, and Gloss annotates web pages (http and https) only.';
const NOT_RUNNING =
  'Gloss is not running on this page. If it was open before Gloss was installed or updated, reload it. Files that are not web pages (an image, a PDF) cannot be annotated.';

/**
 * The server holds as many connections from this network address as it allows (an office behind one
 * NAT address): the user has nothing to fix, and should not go looking in the settings.
 */
const BUSY =
  'The server is at its limit of connections from your network (other Gloss users behind the same address). Gloss retries by itself; what you write meanwhile is sent once it is connected.';

/** The popup's words for the tab's state, matching what the tab itself shows in its bar. */
export function summarize(state: TabState, seen: Seen): Summary {
  switch (state.page) {
    case 'loading':
      return { badge: 'loading', tone: 'loading', note: 'This page is still loading. Gloss starts on it once it has loaded.', annotatable: false };
    case 'unsupported':
      return { badge: 'unavailable', tone: 'unavailable', note: UNSUPPORTED, annotatable: false };
    case 'not-running': {
      if (seen.notRunningLasted) return { badge: 'not running', tone: 'not-running', note: NOT_RUNNING, annotatable: false, reloadable: true };
      // The tab's bar says `reconnecting` from the moment its port drops until it is back, or keeps `offline`.
      const badge = seen.wasConnected ? (seen.toldOffline ? 'offline' : 'reconnecting') : 'connecting';
      return { badge, tone: badge, note: null, annotatable: false };
    }
    case 'annotatable':
      // The background was stopped: the tab's script lost its port too, and its bar says `reconnecting`
      // (or still `offline`, with its reason, which this state still holds). Nothing is counted or
      // opened through a background that is not there.
      if (!seen.linked) {
        return state.connection === 'offline'
          ? { badge: 'offline', tone: 'offline', note: connectionNote(state, seen.online), annotatable: false }
          : { badge: 'reconnecting', tone: 'reconnecting', note: null, annotatable: false };
      }
      return { badge: state.connection, tone: state.connection, note: connectionNote(state, seen.online), annotatable: true };
  }
}

function connectionNote(state: TabState, online: boolean): string | null {
  switch (state.connection) {
    case 'offline':
      if (state.reason === 'refused') return 'The server refused Gloss. Check the access token in the settings below (without a token, the server must allow anonymous use).';
      // Not "check the server URL": nothing is wrong with the settings, and Gloss reconnects by itself.
      if (!online) return 'This browser has no network connection. What you write is kept and sent once it is back.';
      if (state.reason === 'busy') return BUSY;
      return 'Gloss cannot reach the server and keeps trying. If this lasts, check the server URL in the settings below.';
    case 'reconnecting':
      if (state.reason === 'busy') return BUSY;
      return 'The connection to the server was interrupted. Gloss is reconnecting; what you write meanwhile is sent once it is back.';
    case 'connecting':
      return state.reason === 'busy' ? BUSY : null;
    case 'live':
      return state.conversations === 0 ? 'No conversations on this page yet. Select text on the page and choose Annotate to start one.' : null;
  }
}
