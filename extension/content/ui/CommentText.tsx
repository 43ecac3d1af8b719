import { useMemo } from 'preact/hooks';
import { linkParts } from '../state/links.js';
import { Marked, useMarkedSpans } from './Marked.js';

/**
 * A comment's text with its web addresses as links (state/links.ts decides which). Every part is a
 * preact text child: the words are never HTML. A link's `href` is the URL parser's serialization,
 * always http: or https:; what it shows is what was written. It opens in a new tab so the page being
 * annotated (and a reply being typed) stays; `noopener noreferrer` give the opened site no handle on
 * this tab and not its address, `nofollow ugc` say the link is the writer's, not the page's. The
 * panel's search words are marked in it (ui/Marked.tsx), in a link as around one: they are found in
 * the whole text, so a word across a link's edge is marked on both sides of it.
 */
export function CommentText({ text, card }: { text: string; card: string | null }) {
  const parts = useMemo(() => {
    let at = 0;
    return linkParts(text).map((part) => ({ ...part, from: at, to: (at += part.text.length) }));
  }, [text]);
  const spans = useMarkedSpans(text, card);
  return (
    <>
      {parts.map((part, i) =>
        part.href === undefined ? (
          <Marked key={i} text={text} spans={spans} from={part.from} to={part.to} />
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            <Marked text={text} spans={spans} from={part.from} to={part.to} />
          </a>
        ),
      )}
    </>
  );
}
