import { expect, it } from 'vitest';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, typeInUi, waitForViewers, waitInUi } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';
import type { GlossBrowser } from './support/gloss-browser.js';

/**
 * The buttons drawn as links in a card ("Show more", "Edit", "Delete": `button.link`, ui/styles.ts)
 * start where the comment text above them starts, in Chromium and Firefox ESR. They sat 4 px in
 * from it (their inline padding), which read as a stray indent under every comment.
 */
let pages: StaticServer;
let browsers: GlossBrowser[];

useGlossSession(
  [
    { kind: 'chromium', label: 'K', name: 'Kim' },
    { kind: 'firefox', label: 'KF', name: 'Kim' },
  ],
  (s) => {
    ({ pages, browsers } = s);
  },
);

/** Eleven lines: folded, with its "Show more" (ui/CommentView.tsx, isLongComment). */
const LONG_REPLY = Array.from({ length: 11 }, (_, i) => `Line ${i + 1} of a reply long enough to fold.`).join('\n');

for (const [i, kind] of (['chromium', 'firefox'] as const).entries())
  it(`${kind}: "Show more" and "Edit" in a card line up with the text they sit under`, async () => {
    const article = await openArticle(browsers[i]!, pages.url('article.html', `link-buttons-${kind}`));
    try {
      await waitForViewers(article, 1);
      const id = await createConversation(article, '#p-growth', 'test automation is frequently involved', 'Opening comment.');
      await typeInUi(article, `${conversationCss(id)} ${byTestId('reply-input')}`, LONG_REPLY);
      await clickUi(article, `${conversationCss(id)} ${byTestId('reply-submit')}`);
      await waitInUi(article, 'the reply, confirmed, folded', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment-more"]`) && !!root.querySelector(`[data-testid="conversation"][data-id="${id}"] [data-testid="delete-comment"]`), id);

      // Where the first character of each is drawn (a range's box, not the element's: padding moves the text, not the box's edge).
      const starts = await article.evaluate((id: string) => {
        const root = document.querySelector('gloss-root')!.shadowRoot!;
        const comments = [...root.querySelectorAll<HTMLElement>(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`)];
        const reply = comments.at(-1)!;
        reply.scrollIntoView({ block: 'center', behavior: 'instant' });
        const firstCharacter = (el: Element) => {
          const text = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.textContent!.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT) }).nextNode()!;
          const at = text.textContent!.search(/\S/);
          const range = document.createRange();
          range.setStart(text, at);
          range.setEnd(text, at + 1);
          return Math.round(range.getBoundingClientRect().left * 10) / 10;
        };
        const of = (el: Element, testid: string) => firstCharacter(el.querySelector(`[data-testid="${testid}"]`)!);
        return {
          opening: { text: of(comments[0]!, 'comment-text'), edit: of(comments[0]!, 'edit-comment') },
          reply: { text: of(reply, 'comment-text'), more: of(reply, 'comment-more'), edit: of(reply, 'edit-comment') },
        };
      }, id);

      expect(starts).toEqual({
        opening: { text: starts.opening.text, edit: starts.opening.text },
        reply: { text: starts.reply.text, more: starts.reply.text, edit: starts.reply.text },
      });
    } finally {
      await closeAll(article);
    }
  });
