import * as v from 'valibot';
import { expect, it } from 'vitest';
import { uuidv7 } from '../../../protocol/ids.js';
import { Uuid } from '../../../protocol/model.js';

it('makes RFC 9562 version 7 UUIDs that the protocol accepts', () => {
  const id = uuidv7(0x0192_3456_789a);
  expect(id).toMatch(/^01923456-789a-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(v.is(Uuid, id)).toBe(true);
});

it('sorts by creation time, so new ids land at the end of an index', () => {
  const times = [1, 255, 256, 65_536, 1_700_000_000_000, 1_795_433_562_945, 2 ** 48 - 1];
  const ids = times.map((t) => uuidv7(t));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(Array.from({ length: 1000 }, () => uuidv7(5))).size).toBe(1000);
});
