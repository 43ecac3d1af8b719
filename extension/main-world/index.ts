import { signalShadowAttach } from './attach-shadow.js';

/**
 * Entry of the content script that runs in the page's own world (manifest `world: "MAIN"`,
 * `document_start`): no extension API reaches it, and it reaches nothing of the extension.
 */
signalShadowAttach(window);
