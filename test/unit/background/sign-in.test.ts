import { expect, it } from 'vitest';
import { SignInReads } from '../../../extension/background/sign-in.js';

/** Settings as a store holds them; each read sees what is stored when it is made and answers when released. */
function store(initial: string) {
  let value = initial;
  const held: (() => void)[] = [];
  let holding = false;
  return {
    reads: 0,
    set(next: string) {
      value = next;
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const go of held.splice(0)) go();
    },
    read(): Promise<string> {
      this.reads++;
      const seen = value;
      return holding ? new Promise((resolve) => held.push(() => resolve(seen))) : Promise.resolve(seen);
    },
  };
}

it('the read made at the worker\'s start serves the check of the stored data and the first socket, once', async () => {
  const settings = store('ann');
  const signIns = new SignInReads(() => settings.read());
  expect(await signIns.atStart).toBe('ann');
  expect(await signIns.forSocket()).toBe('ann');
  expect(settings.reads).toBe(1);
});

it('every later socket reads the settings again, also with no save seen in between', async () => {
  const settings = store('ann');
  const signIns = new SignInReads(() => settings.read());
  await signIns.forSocket();
  settings.set('bea');
  expect(await signIns.forSocket()).toBe('bea');
  expect(await signIns.forSocket()).toBe('bea');
  expect(settings.reads).toBe(3);
});

it('a save before the first socket makes the read at start stale: the socket reads them again, even while that read is still on its way', async () => {
  const settings = store('ann');
  settings.hold();
  const signIns = new SignInReads(() => settings.read());
  settings.set('bea');
  signIns.saved();
  const forSocket = signIns.forSocket();
  settings.release();
  expect(await forSocket).toBe('bea');
  // The check at start keeps the read it made: it is of the data stored before this save.
  expect(await signIns.atStart).toBe('ann');
});
