import { expect, it } from 'vitest';
import { ariaKeys } from '../../../extension/content/ui/key-hint.js';

it('writes a browser shortcut’s keys as aria-keyshortcuts does, and refuses what it cannot name', () => {
  // As commands.getAll() gives them: both browsers on Windows and Linux, Firefox and Chrome on macOS.
  expect(ariaKeys('Alt+Shift+M')).toBe('Alt+Shift+M');
  expect(ariaKeys('Ctrl+Shift+Comma')).toBe('Control+Shift+,');
  expect(ariaKeys('MacCtrl+Shift+G')).toBe('Control+Shift+G');
  expect(ariaKeys('Command+Alt+PageUp')).toBe('Meta+Alt+PageUp');
  expect(ariaKeys('⌃⇧M')).toBe('Control+Shift+M');
  expect(ariaKeys('⌥⌘F12')).toBe('Alt+Meta+F12');
  for (const odd of ['M', '', 'Alt+', 'Hyper+M', 'Alt+Shift+m', 'Alt+Shift+<b>', '⌃x']) expect(ariaKeys(odd), odd).toBeNull();
});
