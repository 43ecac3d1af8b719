import { tryNormalizePageUrl } from '../../protocol/url.js';
import type { Anchors } from './highlighter/anchors.js';
import { watchAddress, watchBackForwardCache } from './navigation.js';
import { leavePage } from './state/deletions.js';
import { EMPTY_STATE } from './state/store.js';
import { NO_PRESENCE, type Model } from './state/model.js';
import type { OwnPosts } from './state/own-posts.js';

interface Parts {
  win: Window;
  model: Model;
  anchors: Anchors;
  ownPosts: OwnPosts;
  port: { restart(): void; pause(): void };
  schedule(): void;
  signal: AbortSignal;
}

/**
 * Follows the tab from page to page without a new document (navigation.ts): a single-page app's
 * router, and Back or Forward out of the back/forward cache. Returns the check that every action
 * on the page makes first, so nothing made on a new page is filed under the old one.
 */
export function watchPageMoves({ win, model, anchors, ownPosts, port, schedule, signal }: Parts): { movedToAnotherPage(): boolean } {
  let pageKey = tryNormalizePageUrl(win.location.href);

  /**
   * Whether the tab has moved to another page without a new document (a single-page app's router,
   * a hash router's route included; a jump to an anchor is the same page: the key says which, from
   * protocol/url.ts). Then it takes a new port, which the background files under the new address: the other
   * readers of the old page see this tab leave, and the new page's conversations replace the old one's.
   */
  function movedToAnotherPage(): boolean {
    const next = tryNormalizePageUrl(win.location.href);
    if (next === pageKey) return false;
    leavePage(model, pageKey, next);
    pageKey = next;
    // Not through settleDeletions: the old page's conversations were not deleted, and the drafts
    // written in them stay for a return to it (drafts.ts).
    model.conversations = EMPTY_STATE;
    model.unconfirmed = new Set();
    anchors.clear();
    // Who reads the old page says nothing about the new one: the background tells once it knows.
    model.presence = NO_PRESENCE;
    model.activeId = null;
    // Another page, another visit: its marks come with its new port.
    model.unseen = null;
    ownPosts.forget();
    model.sentEdits.forget();
    // A comment being written stays open with what was typed; sent, it goes to the page the tab shows
    // then, if its text is still there (actions/composer.ts).
    port.restart();
    schedule();
    return true;
  }

  watchAddress(win, () => void movedToAnotherPage(), signal);
  watchBackForwardCache(
    win,
    {
      hidden: () => port.pause(),
      shown() {
        // What the page showed is from before it was put away: the new port brings the present.
        model.presence = NO_PRESENCE;
        // A return to the page is a visit of its own: new marks, compared with what the last one ended with.
        model.unseen = null;
        port.restart();
        schedule();
      },
    },
    signal,
  );
  return { movedToAnotherPage };
}
