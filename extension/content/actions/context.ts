import type { ContentToBackground } from '../../../protocol/runtime.js';
import type { Anchors } from '../highlighter/anchors.js';
import type { Model } from '../state/model.js';
import type { OwnPosts } from '../state/own-posts.js';

/** What the UI's actions work with: the page, the model, the port, and the render loop. */
export interface ActionContext {
  doc: Document;
  win: Window;
  /** The part of the page that can be annotated. */
  root(): Element;
  model: Model;
  anchors: Anchors;
  ownPosts: OwnPosts;
  send(message: ContentToBackground): void;
  schedule(): void;
  /** The hovered card changed (`model.hoveredCard`): its highlight is painted again, alone, without a render pass. */
  hoverChanged(): void;
  /** page-moves.ts: true when the tab has just left the page the model was about. */
  movedToAnotherPage(): boolean;
}
