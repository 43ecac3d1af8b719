import * as v from 'valibot';
import { User } from '../../protocol/model.js';
import { ConnectionState, TabPage, type TabState } from '../../protocol/runtime.js';

/** The background's answer to `tab-state`, checked where it is received like every other message. */
const TabStateSchema = v.object({
  page: TabPage,
  connection: ConnectionState,
  refused: v.boolean(),
  self: v.nullable(User),
  pageKey: v.nullable(v.string()),
  viewers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  users: v.array(User),
  conversations: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export function parseTabState(raw: unknown): TabState | null {
  const result = v.safeParse(TabStateSchema, raw);
  if (result.success) return result.output;
  console.warn('[gloss] unexpected tab-state answer:', result.issues[0].message);
  return null;
}

export const viewingText = (n: number) => `${n} viewing`;
export const conversationsText = (n: number) => `${n} ${n === 1 ? 'conversation' : 'conversations'}`;
