/** Links the top bar's toggle to the panel it opens (ids are scoped to our shadow root). */
export const PANEL_ID = 'gloss-panel';
