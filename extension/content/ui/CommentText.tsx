import { useMemo } from 'preact/hooks';
import { linkParts } from '../state/links.js';

/**
 * A comment's text with its web addresses as links (state/links.ts decides which). Every part is a
 * preact text child: the words are never HTML. A link's `href` is the URL parser's serialization,
 * always http: or https:; what it shows is what was written. It opens in a new tab so the page being
 * annotated (and a reply being typed) stays; `noopener noreferrer` give the opened site no handle on
 * this tab and not its address, `nofollow ugc` say the link is the writer's, not the page's.
 */
export function CommentText({ text }: { text: string }) {
  const parts = useMemo(() => linkParts(text), [text]);
  return (
    <>
      {parts.map((part, i) =>
        part.href === undefined ? (
          part.text
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
