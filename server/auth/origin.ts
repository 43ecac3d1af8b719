/**
 * Cross-site WebSocket hijacking guard. Browsers always send Origin on a WebSocket handshake: the
 * extension's worker sends its extension origin, a web page its own. Web pages are refused, since a
 * page must not ride a visitor's browser into the server. No Origin means a non-browser client,
 * which still has to present an identity like everyone else.
 */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9-]+$/i;

export function createOriginCheck(extraOrigins: readonly string[]): (origin: string | undefined) => boolean {
  const allowed = new Set(extraOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return (origin) => {
    if (origin === undefined || origin === '') return true;
    if (EXTENSION_ORIGIN.test(origin)) return true;
    return allowed.has(origin.toLowerCase());
  };
}
