import { describe, expect, it } from 'vitest';
import { Rooms } from '../../../extension/background/rooms.js';

describe('Rooms', () => {
  it('joins on the first port of a page and leaves with the last', () => {
    const rooms = new Rooms<string>();
    expect(rooms.add('tab1', 'example.com/a')).toBe(true);
    expect(rooms.add('tab2', 'example.com/a')).toBe(false);
    expect(rooms.ports('example.com/a').sort()).toEqual(['tab1', 'tab2']);
    expect(rooms.remove('tab1')).toEqual({ pageKey: 'example.com/a', last: false });
    expect(rooms.remove('tab2')).toEqual({ pageKey: 'example.com/a', last: true });
    expect(rooms.pages()).toEqual([]);
    expect(rooms.size).toBe(0);
  });

  it('counts pages separately', () => {
    const rooms = new Rooms<string>();
    expect(rooms.add('tab1', 'a.example/')).toBe(true);
    expect(rooms.add('tab2', 'b.example/')).toBe(true);
    expect(rooms.pages().sort()).toEqual(['a.example/', 'b.example/']);
    expect(rooms.remove('tab1')).toEqual({ pageKey: 'a.example/', last: true });
    expect(rooms.has('a.example/')).toBe(false);
    expect(rooms.has('b.example/')).toBe(true);
    expect(rooms.pageOf('tab2')).toBe('b.example/');
  });

  it('ignores a port registered twice on the same page and a port never registered', () => {
    const rooms = new Rooms<string>();
    rooms.add('tab1', 'a.example/');
    expect(rooms.add('tab1', 'a.example/')).toBe(false);
    expect(rooms.ports('a.example/')).toEqual(['tab1']);
    expect(rooms.remove('unknown')).toBeNull();
    expect(rooms.remove('tab1')).toEqual({ pageKey: 'a.example/', last: true });
    expect(rooms.remove('tab1')).toBeNull();
  });

  it('refuses to move a port to another page (a navigation opens a new port)', () => {
    const rooms = new Rooms<string>();
    rooms.add('tab1', 'a.example/');
    expect(() => rooms.add('tab1', 'b.example/')).toThrow();
  });

  it('joins again after a page was left and reopened', () => {
    const rooms = new Rooms<object>();
    const first = {};
    const second = {};
    expect(rooms.add(first, 'a.example/')).toBe(true);
    rooms.remove(first);
    expect(rooms.add(second, 'a.example/')).toBe(true);
  });
});
