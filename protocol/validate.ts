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

/** The same check as a boolean, for receivers that drop (and log) what they cannot use. */
export function matches<S extends v.GenericSchema>(schema: S, input: unknown): input is v.InferOutput<S> {
  return v.is(schema, input);
}
