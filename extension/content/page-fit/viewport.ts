/**
 * The element whose client width is the viewport's (the vertical scrollbar excluded) and whose
 * scroll width is the document's: <html>, or <body> in quirks mode.
 */
export function viewport(doc: Document): Element {
  return doc.scrollingElement ?? doc.documentElement;
}
