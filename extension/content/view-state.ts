import type { Anchors } from './highlighter/anchors.js';
import { affordanceAt, composerAt } from './selection/placement.js';
import { lastLineRect, wholeRect } from './selection/rect.js';
import { shownActive, type Model } from './state/model.js';
import { PointedCards } from './state/pointed-cards.js';
import { orderByPage, type PageOrder } from './state/order.js';
import { unseenListed } from './state/unseen.js';
import type { ViewState } from './view.js';

/**
 * The snapshot of the model the UI renders, with conversations in page order (`order`, the last order, to sort only what is new).
 * `pointed`: the controller's, kept up to date by it (state/pointed-cards.ts).
 */
export function viewState(model: Model, anchors: Anchors, win: Window, order?: PageOrder, pointed = new PointedCards()): ViewState {
  // One not looked for yet (a join's thousands are located in slices) is left out until it is: listed
  // now, it would be among those "Not found on this page".
  const placed = [...model.conversations.byId.values(), ...model.deletedWhileWriting.values()].flatMap((c) => {
    const range = anchors.get(c.id);
    return range === undefined ? [] : [{ item: c, range, createdAt: c.createdAt, at: anchors.spanOf(c.id) }];
  });
  const { anchored, orphaned } = orderByPage(placed, order);
  const { selection, composer } = model;
  return {
    connection: model.connection,
    reason: model.reason,
    self: model.self,
    moderator: model.role === 'moderator',
    viewers: model.presence.viewers,
    users: model.presence.users,
    anchored: anchored.map((p) => p.item),
    orphaned: orphaned.map((p) => p.item),
    deleted: new Set(model.deletedWhileWriting.keys()),
    panelOpen: model.panelOpen,
    panelFocus: model.panelFocus,
    topbarCollapsed: model.topbarCollapsed,
    activeId: shownActive(model),
    unseen: unseenListed(model),
    pointed,
    affordance: selection && !composer ? affordanceAt(win, selection.rect, wholeRect(selection.range)) : null,
    composer: composer ? { ...composerAt(win, lastLineRect(composer.range), wholeRect(composer.range)), quote: composer.quote, draft: composer.draft } : null,
    error: model.error,
    shortcutKeys: model.shortcutKeys,
    announcement: model.announcement,
    undo: model.undo === null ? null : { serial: model.undo.serial },
    restoring: model.restoring?.shown === true ? { id: model.restoring.id, serial: model.restoring.serial } : null,
    refusedEdits: model.sentEdits.refused(),
  };
}
