import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../protocol/model.js';
import { unseenSince, baselineOf, Visit } from '../../../extension/background/visit.js';

/** What is new to the user since their last visit (background/visit.ts), from the states alone. */
const ANN = { id: 'ann', name: 'Ann' };
const BEN = { id: 'ben', name: 'Ben' };
let n = 0;
const id = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
const comment = (author = BEN, text = 'x') => ({ id: id(), author, text, createdAt: 1 });
function chat(author = BEN, comments = [comment(author)]): Conversation {
  return { id: comments[0]!.id, target: { selector: [{ type: 'TextQuoteSelector', exact: 'q' }] }, author, createdAt: 1, revision: comments.length, resolved: false, comments };
}
const byId = (...list: Conversation[]) => Object.fromEntries(list.map((c) => [c.id, c]));

describe('unseenSince', () => {
  it('marks others\' new conversations and others\' new comments; not the user\'s own, edits, resolves or removals', () => {
    const replied = chat();
    const edited = chat();
    const resolved = chat();
    const mine = chat(ANN);
    const gone = chat();
    const before = baselineOf(byId(replied, edited, resolved, mine, gone));
    const fresh = chat();
    const ownFresh = chat(ANN);
    const now = byId(
      { ...replied, comments: [...replied.comments, comment()] },
      { ...edited, comments: [{ ...edited.comments[0]!, text: 'changed', editedAt: 2 }] },
      { ...resolved, resolved: true },
      { ...mine, comments: [...mine.comments, comment(ANN)] },
      fresh,
      ownFresh,
    );
    expect(Object.fromEntries(unseenSince(before, now, ANN.id))).toEqual({ [replied.id]: 'replies', [fresh.id]: 'new' });
  });

  it('sees a reply added as another was deleted (the count is the same)', () => {
    const c = chat(BEN, [comment(), comment()]);
    const before = baselineOf(byId(c));
    const now = byId({ ...c, comments: [c.comments[0]!, comment()] });
    expect(Object.fromEntries(unseenSince(before, now, ANN.id))).toEqual({ [c.id]: 'replies' });
  });
});

describe('Visit', () => {
  it('marks nothing on a first visit, makes its marks once, and loses only what is seen', () => {
    const first = new Visit();
    first.begin(null);
    expect(first.unseen).toBeNull();
    expect(first.inStep(byId(chat()), ANN.id)).toBe(true);
    expect(first.unseen).toEqual(new Map());

    const old = chat();
    const visit = new Visit();
    visit.begin(byId(old));
    const [a, b] = [chat(), chat()];
    expect(visit.inStep(byId(old, a, b), ANN.id)).toBe(true);
    // Later syncs (a reconnection) bring no new marks: what comes while the page is open is seen as it comes.
    expect(visit.inStep(byId(old, a, b, chat()), ANN.id)).toBe(false);
    visit.seen(a.id);
    expect([...visit.unseen!.keys()]).toEqual([b.id]);
  });
});
