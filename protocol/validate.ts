import * as v from 'valibot';
import { ProtocolError, type ErrorCode } from './errors.js';

const TOO_LARGE = new Set(['max_length', 'max_size', 'max_bytes', 'max_value', 'max_entries']);

/**
 * Parses untrusted input with a schema, throwing a ProtocolError whose code is `too_large` when a
 * limit was exceeded and `invalid` otherwise. The message names the path of the first problem.
 */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, what = 'payload'): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const code: ErrorCode = result.issues.some((i) => TOO_LARGE.has(i.type)) ? 'too_large' : 'invalid';
  throw new ProtocolError(code, `${what}${path ? `.${path}` : ''}: ${issueMessage(issue)}`);
}

/** Issues of a field that names a kind (a message's or a selector's `type`), whose value is worth naming. */
const NAMING = new Set(['variant', 'literal', 'picklist']);

/**
 * An issue's message without the value it received when that is a string: valibot's own messages
 * quote it whole (`Expected number but received "…"`), and a string in the wrong place can be a
 * user's text or a token. Refusals are logged, where neither belongs. Numbers, types, the custom
 * messages of the schemas (which never quote the input) and a short unknown kind (`"XPathSelector"`,
 * at most 40 characters as the worker names a message's type) are kept.
 */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (typeof issue.input !== 'string' || (NAMING.has(issue.type) && issue.input.length <= 40)) return issue.message;
  return issue.message.replace(`received ${issue.received}`, 'received a string');
}

/**
 * What a dropped message was, for the warning: its `type` (quoted, at most 40 characters), or what it is
 * when it is not an object; nothing for an object without a type (an event's payload), which the path names.
 */
function kindOf(raw: unknown): string {
  if (raw === null) return ' (null)';
  if (Array.isArray(raw)) return '';
  if (typeof raw !== 'object') return ` (${typeof raw})`;
  if (!('type' in raw)) return '';
  const type = (raw as { type: unknown }).type;
  return ` (${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type})`;
}

/**
 * The check of a receiver that drops what fails (the extension's ports and its socket's events): the
 * parsed value, or null after one warning that names what was dropped, where and why, never the
 * payload (a user's text has no place in logs). One wording for every door, so the logs read alike.
 */
export function parseOrDrop<S extends v.GenericSchema>(schema: S, raw: unknown, from: string): v.InferOutput<S> | null {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  console.warn(`[gloss] dropped ${from}${kindOf(raw)}${path ? ` at ${path}` : ''}: ${issueMessage(issue)}`);
  return null;
}

/** The same check as a boolean, for receivers that drop (and log) what they cannot use. */
export function matches<S extends v.GenericSchema>(schema: S, input: unknown): input is v.InferOutput<S> {
  return v.is(schema, input);
}
