import { describe, expect, it } from 'vitest';
import { pageConnection } from '../../../extension/background/page-connection.js';

describe('pageConnection: what a tab is told', () => {
  const page = (status: string, synced: boolean, seq: number | null) => ({ status, synced, seq });

  it('passes the socket state through while the socket is not up', () => {
    for (const s of ['connecting', 'reconnecting', 'offline'] as const) expect(pageConnection(s, page('joined', true, 3))).toBe(s);
  });

  it('says live only once the page is joined and resynced on the current socket', () => {
    expect(pageConnection('live', page('joined', true, 3))).toBe('live');
    expect(pageConnection('live', page('joined', false, 3))).toBe('reconnecting');
    expect(pageConnection('live', page('joining', false, 3))).toBe('reconnecting');
    expect(pageConnection('live', page('idle', false, null))).toBe('connecting');
    expect(pageConnection('live', undefined)).toBe('connecting');
  });
});
