import { PANEL_INSET, PANEL_TOP, PANEL_WIDTH } from '../panel-box.js';

/**
 * Styles of the shadow root; `:host { all: initial }` stops inherited page styles at the boundary.
 *
 * Colours follow the reader's scheme: one palette of custom properties on `.gloss` (the mount inside
 * the shadow root, which no page rule can reach; on `:host` a page rule for `gloss-root` would win
 * over it), light by default and dark under `prefers-color-scheme: dark`. `color-scheme` is set
 * there too (the host's `all: initial` resets it to normal), so scrollbars and the textarea's caret
 * and autofill follow. Every text colour holds WCAG's 4.5:1 on what is painted under it in both
 * schemes (test/e2e/colour-schemes.test.ts measures the rendered colours).
 *
 * Under forced colours (Windows High Contrast, `forced-colors: active`) the browser replaces our
 * colours with the reader's system ones and drops box shadows; the block at the end puts back what
 * carried meaning only through colour or shadow (the active conversation, a state pill's outline,
 * disabled controls that were faded by opacity) and picks system colours where the browser's own
 * fell short (a placeholder, the focus ring). Firefox's forced colours are measured in colour-schemes-firefox.test.ts.
 */
export const UI_CSS = `
:host { all: initial; }
.gloss {
  color-scheme: light;
  --fg: #1d1d1f;
  --surface: #fff;
  --panel: #fafafa;
  --hover: #f2f2f7;
  --control-border: #c7c7cc;
  --line: #d1d1d6;
  --line-soft: #e5e5ea;
  --line-faint: #f2f2f7;
  --resolved-line: #ececf0;
  --muted: #6e6e73;
  --quiet: #48484a;
  --accent: #2a66e0;
  --accent-hover: #255ed0;
  --on-accent: #fff;
  --link: #255ed0;
  --danger: #b3261e;
  --pending: #785a00;
  --pill: #e5e5ea;
  --live-bg: #d1f2d9; --live-fg: #14632b;
  --offline-bg: #fbd5d5; --offline-fg: #8a1c1c;
  --waiting-bg: #fff1c2; --waiting-fg: #6b4e00;
  --error-bg: #fdecea; --error-fg: #8a1c1c; --error-line: #f5c2c0;
  --shadow: rgba(0,0,0,.12);
  --shadow-strong: rgba(0,0,0,.18);
  /* A card whose highlight the pointer is on (the page's hover blue, #7cc7ff): 3.45:1 on the card, a border that still shows. */
  --pointed-line: #2f8fdc;
}
/* Dark: raised surfaces lighter than the panel under them, as dark system UIs draw depth. */
@media (prefers-color-scheme: dark) {
  .gloss {
    color-scheme: dark;
    --fg: #f5f5f7;
    --surface: #2c2c2e;
    --panel: #1c1c1e;
    --hover: #3a3a3c;
    --control-border: #636366;
    --line: #48484a;
    --line-soft: #3a3a3c;
    --line-faint: #38383a;
    --resolved-line: #3a3a3c;
    --muted: #aeaeb2;
    --quiet: #d1d1d6;
    --on-accent: #fff;
    --link: #7aa7ff;
    --danger: #ff9a8f;
    --pending: #e0b84a;
    --pill: #3a3a3c;
    --live-bg: #1e4d2b; --live-fg: #a8e6b8;
    --offline-bg: #5c1f1f; --offline-fg: #ffc9c9;
    --waiting-bg: #4d3b00; --waiting-fg: #ffe08a;
    --error-bg: #3b1a1a; --error-fg: #ffc9c9; --error-line: #7a2e2e;
    --shadow: rgba(0,0,0,.5);
    --shadow-strong: rgba(0,0,0,.6);
    --pointed-line: #7cc7ff;
  }
}
.gloss, .gloss * { box-sizing: border-box; }
/* Read by screen readers, not shown. */
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.gloss {
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg);
}
button { font: inherit; cursor: pointer; border: 1px solid var(--control-border); background: var(--surface); color: var(--fg); border-radius: 6px; padding: 3px 8px; }
button:hover { background: var(--hover); }
button:disabled { opacity: .5; cursor: default; }
/* White on #2a66e0 is 5.15:1 (5.85:1 hovered), in both schemes; #2f6fed was 4.55:1, too close to the line. */
button.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
button.primary:hover { background: var(--accent-hover); }
button.link { border: none; background: none; padding: 0 4px; color: var(--link); }
/* A "×" alone (the panel's close, the undo and error notices' dismiss, the search's clear): a 24×24 target at least
   (WCAG 2.2, 2.5.8); the glyph was 15×18. Its negative block margins keep the row it sits in as tall as it was. */
button.icon { min-width: 24px; min-height: 24px; padding: 0; display: inline-flex; align-items: center; justify-content: center; margin-block: -3px; }
textarea { font: inherit; width: 100%; min-height: 56px; resize: vertical; padding: 6px; border: 1px solid var(--control-border); border-radius: 6px; color: var(--fg); background: var(--surface); }
/* Set, not left to the browser: Firefox fades its default placeholder below 4.5:1. */
textarea::placeholder { color: var(--muted); opacity: 1; }
.topbar { position: fixed; top: 8px; right: 8px; display: flex; gap: 8px; align-items: center; padding: 4px 8px;
  background: var(--surface); border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 2px 8px var(--shadow); }
.topbar.collapsed { padding: 2px; }
/* The panel's toggle while the panel is open: pressed, as a chosen filter is (white on the accent, 5.15:1). */
.topbar button[aria-controls][aria-expanded="true"] { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
/* The viewers while not live (TopBar.tsx, STALE_VIEWERS): quieter by colour, not opacity, var(--muted) at 4.5:1 or more
   on the bar in both schemes; the words "last known, not live" are in its tooltip and read to a screen reader. */
.topbar .stale { color: var(--muted); }
.state { font-size: 12px; padding: 1px 6px; border-radius: 10px; background: var(--pill); }
.state.live { background: var(--live-bg); color: var(--live-fg); }
.state.offline { background: var(--offline-bg); color: var(--offline-fg); }
.why { font-size: 12px; color: var(--offline-fg); max-width: 220px; }
.state.reconnecting, .state.connecting { background: var(--waiting-bg); color: var(--waiting-fg); }
.panel { position: fixed; top: ${PANEL_TOP}px; right: ${PANEL_INSET}px; bottom: ${PANEL_INSET}px; width: ${PANEL_WIDTH}px; max-width: calc(100vw - ${2 * PANEL_INSET}px);
  display: flex; flex-direction: column; background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
  box-shadow: 0 4px 16px var(--shadow-strong); overflow: hidden; }
/* The × comes first in the DOM (Panel.tsx: Tab from the heading reaches the Undo notice under it, not the ×), drawn at the right. */
.panel header { display: flex; flex-direction: row-reverse; justify-content: space-between; align-items: center; padding: 8px 10px; border-bottom: 1px solid var(--line-soft); font-weight: 600; }
.panel h2 { margin: 0; font: inherit; }
.panel .list { overflow-y: auto; padding: 8px; display: flex; flex-direction: column; gap: 8px; }
.empty { color: var(--muted); padding: 8px; }
.conversation { position: relative; background: var(--surface); border: 1px solid var(--line-soft); border-radius: 8px; padding: 8px; }
/* Its highlight under the pointer in the page: border colour and a ring, no width changed (nothing moves). The open one keeps its orange, as in the page. */
.conversation.pointed { border-color: var(--pointed-line); box-shadow: 0 0 0 2px rgba(124,199,255,.55); }
.conversation.active { border-color: #ff8c00; box-shadow: 0 0 0 2px rgba(255,140,0,.25); }
/* The open card's × (ConversationView.tsx): after the quote in the DOM, drawn in the card's top right corner; the
   quote gives it room while it shows, so its first line never runs under it. */
.conversation > .close-card { position: absolute; top: 4px; right: 4px; margin: 0; }
.conversation.active > .quote { width: calc(100% - 26px); }
.conversation.resolved { border-color: var(--resolved-line); }
/* Quieter by colour, not opacity: faded grey text fell to 2.8:1, under WCAG's 4.5:1. Every colour here holds 4.5:1 on the card, in both schemes. */
.conversation.resolved .text, .conversation.resolved .author { color: var(--quiet); }
.conversation.resolved .quote { color: var(--muted); border-left-color: var(--line); }
.conversation.pending { border-style: dashed; }
.conversation.deleted { border-color: var(--danger); }
.conversation.deleted > .problem { margin: 0 0 6px; }
.pending-note { display: inline-block; margin-bottom: 4px; font-size: 11px; color: var(--pending); }
/* var(--muted) on the card: 5.07:1 light, 6.9:1 dark. Beside "Not sent yet" when both hold. */
/* What is new since the last visit (state/unseen.ts): a word on a filled pill, white on the accent as the primary buttons are. */
.unseen-note { display: inline-block; margin: 0 6px 4px 0; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; background: var(--accent); color: var(--on-accent); }
.resolved-note { display: inline-block; margin: 0 6px 4px 0; font-size: 11px; font-weight: 600; color: var(--muted); }
.quote { display: block; border-left: 3px solid #ffd400; padding: 2px 6px; margin: 0 0 6px; color: var(--quiet); font-style: italic;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 6em; overflow: hidden; cursor: pointer; background: none; border-top: 0; border-right: 0; border-bottom: 0; border-radius: 0; text-align: start; width: 100%; }
.comment { padding: 4px 0; border-top: 1px solid var(--line-faint); }
.comment:first-of-type { border-top: none; }
.meta { display: flex; gap: 6px; align-items: baseline; color: var(--muted); font-size: 12px; }
/* A name may be 80 characters without a space (an e-mail address, a login): it wraps in its row. */
.author { font-weight: 600; color: var(--fg); min-width: 0; overflow-wrap: anywhere; }
/* The time and "(edited)" beside it never break: squeezed by a long name, "10:34 PM" read as "10:34" over "PM". */
.meta time, .meta .edited { flex: none; white-space: nowrap; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 2px 0; }
/* A long comment folded to its first ten lines (ui/CommentView.tsx, isLongComment); its "Show more" unfolds it. */
.text.folded { max-height: 14em; overflow: hidden; }
button.link.more { display: block; margin: 0 0 2px; }
/* A link-style button's 4 px of padding widens its target, not its indent: the one that starts a line in a card
   ("Show more", the first of Edit / Delete) is pulled back by it, so its word starts where the comment's text does
   (it sat 4 px in; test/e2e/link-buttons.test.ts). The ones after it keep the row's gap beside their padding. */
button.link.more, .comment .actions > button.link:first-child { margin-inline-start: -4px; }
/* Web addresses in a comment (ui/CommentText.tsx): the palette's link colour, 5.85:1 on the light card (5.60:1 on the
   panel) and 5.84:1 on the dark one; the ring follows it. The underline tells a link from the text around it
   without relying on colour. It keeps that colour in a resolved card (whose text is quieter). */
.text a { color: var(--link); text-decoration: underline; }
.text a:focus-visible { outline: 2px solid currentColor; outline-offset: 1px; border-radius: 2px; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
.reply { margin-top: 6px; display: flex; flex-direction: column; gap: 4px; align-items: flex-end; }
/* The list of cards (role="list", ui/Panel.tsx), spaced as the panel's list was. */
.items { display: flex; flex-direction: column; gap: 8px; }
/* "Show more" at the end of the cards rendered so far, in the last one's entry (ui/PanelEntry.tsx): a plain button, the width of the list. */
.list-more { display: block; width: 100%; margin-top: 8px; }
.orphaned { margin: 12px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
/* The Annotate button, the composer and an error are opened over the page beside an open panel: above it, or the
   panel (later in the root) hid the part of them under it, the composer's field and buttons included. */
.annotate { position: fixed; z-index: 1; }
.composer { position: fixed; z-index: 1; width: 300px; padding: 8px; background: var(--surface); border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 4px 16px var(--shadow-strong); display: flex; flex-direction: column; gap: 6px; }
.composer .quote { cursor: default; }
.problem { color: var(--danger); font-size: 12px; }
.confirm { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin-top: 6px; }
.confirm p { flex-basis: 100%; margin: 0; font-size: 12px; }
button.danger { color: var(--danger); border-color: var(--danger); }
/* The undo of the user's own deletion (UndoNotice.tsx): a line under the panel's heading, or under
   the top bar while the panel is closed. Its words and link in colours already measured on those surfaces (Colour schemes). */
.undo { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--line-soft); }
.undo.floating { position: fixed; top: 52px; right: 12px; border: 1px solid var(--line-soft); border-radius: 8px; background: var(--surface); color: var(--fg); box-shadow: 0 2px 8px var(--shadow); }
.error { position: fixed; z-index: 1; top: 52px; left: 50%; transform: translateX(-50%); max-width: 420px; padding: 6px 10px;
  background: var(--error-bg); color: var(--error-fg); border: 1px solid var(--error-line); border-radius: 8px; display: flex; gap: 8px; align-items: center; }
/* Scale, in a rule of its own: a card out of the panel's view is not laid out, pre-painted, painted nor
   hit-tested. With 5,000 cards every frame after a change walked all of them (docs/benchmarks.md,
   section 8). The intrinsic size stands in for a card not seen yet (auto: its real size once seen),
   so the list's scroll height stays about right. The cards stay in the DOM and the accessibility tree. */
.conversation { content-visibility: auto; contain-intrinsic-size: auto 170px; }
/*
 * Forced colours: the browser paints text, backgrounds and borders in the reader's system colours and
 * drops box shadows. The active conversation was told by an orange border and glow: it gets a thicker
 * Highlight border. A state pill keeps its shape with a border (its meaning is its word, which stays
 * CanvasText on Canvas). Disabled controls were faded with opacity, which would also fade the system
 * colours: GrayText says "disabled" in this mode instead.
 */
@media (forced-colors: active) {
  .conversation.active { border: 2px solid Highlight; }
  /* The ring is dropped here: an outline, which takes no room, says it instead. */
  .conversation.pointed:not(.active) { outline: 2px dashed Highlight; outline-offset: 1px; }
  .state, .unseen-note { border: 1px solid CanvasText; }
  button:disabled { opacity: 1; color: GrayText; border-color: GrayText; }
  /* Firefox paints a placeholder in GrayText here, 4.59:1 on its Field (white): FieldText is the colour made for it. */
  textarea::placeholder { color: FieldText; }
  /* The browsers' own rings fell short: Firefox's Highlight is 2.94:1 on Canvas, Chromium's redraws a bordered control's border. */
  :focus-visible { outline: 2px solid CanvasText; outline-offset: 1px; }
}
/*
 * The panel's search (ui/PanelSearch.tsx): palette colours only. The field's text and the filter
 * buttons hold 4.5:1 as the other buttons and fields do (var(--fg) on var(--surface); the pressed one
 * white on the accent); the count and notes are var(--muted) on the panel. The focus ring is the
 * accent, over 3:1 on the panel in both schemes.
 */
.search { padding: 8px 10px; border-bottom: 1px solid var(--line-soft); display: flex; flex-direction: column; gap: 6px; }
.search-field { position: relative; display: flex; align-items: center; }
.search input[type="search"] { font: inherit; width: 100%; padding: 4px 28px 4px 8px; border: 1px solid var(--control-border); border-radius: 6px; color: var(--fg); background: var(--surface); }
.search input[type="search"]::placeholder { color: var(--muted); opacity: 1; }
/* Our own ×, labelled and the same in both browsers: Chromium's built-in one would make two. */
.search input[type="search"]::-webkit-search-cancel-button { appearance: none; }
.search .clear { position: absolute; right: 2px; margin: 0; font-size: 16px; line-height: 1; color: var(--fg); }
.filters { display: flex; gap: 6px; flex-wrap: wrap; }
.filters button { font-size: 12px; padding: 2px 10px; border-radius: 12px; }
.filters button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.search input[type="search"]:focus-visible, .search .clear:focus-visible, .filters button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.search .count { margin: 0; font-size: 12px; color: var(--muted); }
.kept-note { margin: 0 0 4px; font-size: 12px; color: var(--muted); }
/*
 * The search words in the cards (ui/Marked.tsx): the page highlights' own yellow and dark text, #1d1d1f on
 * #fff394 (14.8:1), in both schemes, like a browser's find-in-page; its own colour, so a quieter resolved
 * card or a link's colour does not carry into it (a link keeps its underline). A solid underline,
 * #6b4e00 on the mark's yellow (6.8:1), tells a word found from a page highlight's yellow (a quote in a
 * card is highlighted text, and the page's highlights have no underline) and from the card by more than
 * a pale fill: the yellow is 1.1:1 on the white card. Under forced colours it takes the system's Mark
 * and MarkText, made for it, the underline in MarkText: Chromium paints a mark so there already, this
 * says it for every browser (test/e2e/panel-search.test.ts looks in Chromium, colour-schemes-firefox.test.ts in Firefox).
 */
mark { background: #fff394; color: #1d1d1f; border-radius: 2px; border-bottom: 2px solid #6b4e00; }
/* Forced colours paint every button alike: the pressed one is drawn inverted, in the reader's own text and canvas colours. */
@media (forced-colors: active) {
  .filters button[aria-pressed="true"], .topbar button[aria-controls][aria-expanded="true"] { forced-color-adjust: none; background: CanvasText; color: Canvas; border-color: CanvasText; }
  .search input[type="search"]::placeholder { color: FieldText; }
  mark { forced-color-adjust: none; background: Mark; color: MarkText; border-bottom-color: MarkText; }
}
`;
