import type * as v from 'valibot';
import type { BatchSchema, ServerChange } from './server-schemas.js';

type Entry = v.InferOutput<typeof BatchSchema>[number];

function toChange(entry: Entry): { pageKey: string; change: ServerChange } {
  switch (entry[0]) {
    case 'new-text-chat': {
      const { pageKey, ...rest } = entry[1];
      return { pageKey, change: { type: 'new-text-chat', ...rest } };
    }
    case 'updated-text-chat': {
      const { pageKey, ...rest } = entry[1];
      return { pageKey, change: { type: 'updated-text-chat', ...rest } };
    }
    case 'deleted-text-chat': {
      const { pageKey, ...rest } = entry[1];
      return { pageKey, change: { type: 'deleted-text-chat', ...rest } };
    }
  }
}

/** A `text-chat-batch` frame as changes per page, each page's in the frame's order. */
export function splitBatch(entries: readonly Entry[]): Map<string, ServerChange[]> {
  const byPage = new Map<string, ServerChange[]>();
  for (const entry of entries) {
    const { pageKey, change } = toChange(entry);
    const list = byPage.get(pageKey);
    if (list) list.push(change);
    else byPage.set(pageKey, [change]);
  }
  return byPage;
}
