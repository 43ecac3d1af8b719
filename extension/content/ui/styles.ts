/** Styles of the shadow root; `:host { all: initial }` stops inherited page styles at the boundary. */
export const UI_CSS = `
:host { all: initial; }
.gloss, .gloss * { box-sizing: border-box; }
/* Read by screen readers, not shown. */
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.gloss {
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d1d1f;
}
button { font: inherit; cursor: pointer; border: 1px solid #c7c7cc; background: #fff; color: #1d1d1f; border-radius: 6px; padding: 3px 8px; }
button:hover { background: #f2f2f7; }
button:disabled { opacity: .5; cursor: default; }
button.primary { background: #2f6fed; border-color: #2f6fed; color: #fff; }
button.primary:hover { background: #255ed0; }
button.link { border: none; background: none; padding: 0 4px; color: #2f6fed; }
textarea { font: inherit; width: 100%; min-height: 56px; resize: vertical; padding: 6px; border: 1px solid #c7c7cc; border-radius: 6px; color: #1d1d1f; background: #fff; }
/* Set, not left to the browser: Firefox fades its default placeholder below 4.5:1. */
textarea::placeholder { color: #6e6e73; opacity: 1; }
.topbar { position: fixed; top: 8px; right: 8px; display: flex; gap: 8px; align-items: center; padding: 4px 8px;
  background: #fff; border: 1px solid #d1d1d6; border-radius: 8px; box-shadow: 0 2px 8px rgba(0,0,0,.12); }
.topbar.collapsed { padding: 2px; }
.state { font-size: 12px; padding: 1px 6px; border-radius: 10px; background: #e5e5ea; }
.state.live { background: #d1f2d9; color: #14632b; }
.state.offline { background: #fbd5d5; color: #8a1c1c; }
.why { font-size: 12px; color: #8a1c1c; max-width: 220px; }
.state.reconnecting, .state.connecting { background: #fff1c2; color: #6b4e00; }
.panel { position: fixed; top: 52px; right: 8px; bottom: 8px; width: 360px; max-width: calc(100vw - 16px);
  display: flex; flex-direction: column; background: #fafafa; border: 1px solid #d1d1d6; border-radius: 10px;
  box-shadow: 0 4px 16px rgba(0,0,0,.16); overflow: hidden; }
.panel header { display: flex; justify-content: space-between; align-items: center; padding: 8px 10px; border-bottom: 1px solid #e5e5ea; font-weight: 600; }
.panel h2 { margin: 0; font: inherit; }
.panel .list { overflow-y: auto; padding: 8px; display: flex; flex-direction: column; gap: 8px; }
.empty { color: #6e6e73; padding: 8px; }
.conversation { background: #fff; border: 1px solid #e5e5ea; border-radius: 8px; padding: 8px; }
.conversation.active { border-color: #ff8c00; box-shadow: 0 0 0 2px rgba(255,140,0,.25); }
.conversation.resolved { border-color: #ececf0; }
/* Quieter by colour, not opacity: faded grey text fell to 2.8:1, under WCAG's 4.5:1. Every colour here holds 4.5:1 on white. */
.conversation.resolved .text, .conversation.resolved .author { color: #48484a; }
.conversation.resolved .quote { color: #6e6e73; border-left-color: #d1d1d6; }
.conversation.pending { border-style: dashed; }
.conversation.deleted { border-color: #b3261e; }
.conversation.deleted > .problem { margin: 0 0 6px; }
.pending-note { display: inline-block; margin-bottom: 4px; font-size: 11px; color: rgb(120, 90, 0); }
.quote { display: block; border-left: 3px solid #ffd400; padding: 2px 6px; margin: 0 0 6px; color: #48484a; font-style: italic;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 6em; overflow: hidden; cursor: pointer; background: none; border-top: 0; border-right: 0; border-bottom: 0; border-radius: 0; text-align: start; width: 100%; }
.comment { padding: 4px 0; border-top: 1px solid #f2f2f7; }
.comment:first-of-type { border-top: none; }
.meta { display: flex; gap: 6px; align-items: baseline; color: #6e6e73; font-size: 12px; }
/* A name may be 80 characters without a space (an e-mail address, a login): it wraps in its row. */
.author { font-weight: 600; color: #1d1d1f; min-width: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 2px 0; }
/* Web addresses in a comment (ui/CommentText.tsx). The link colour is set here only, for the ring to follow
   it: #0b57d0 holds 6.4:1 on the card's white (6.1:1 on the panel's #fafafa), and the underline tells it
   from the text around it without relying on colour. It also holds in a resolved card (its text is quieter). */
.text a { color: #0b57d0; text-decoration: underline; }
.text a:focus-visible { outline: 2px solid currentColor; outline-offset: 1px; border-radius: 2px; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
.reply { margin-top: 6px; display: flex; flex-direction: column; gap: 4px; align-items: flex-end; }
.orphaned { margin: 12px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #6e6e73; }
.annotate { position: fixed; z-index: 1; }
.composer { position: fixed; width: 300px; padding: 8px; background: #fff; border: 1px solid #d1d1d6; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.18); display: flex; flex-direction: column; gap: 6px; }
.composer .quote { cursor: default; }
.problem { color: #b3261e; font-size: 12px; }
.error { position: fixed; top: 52px; left: 50%; transform: translateX(-50%); max-width: 420px; padding: 6px 10px;
  background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; border-radius: 8px; display: flex; gap: 8px; align-items: center; }
`;
