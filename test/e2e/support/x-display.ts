import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const XVFB = 'Xvfb';
export const XDOTOOL = 'xdotool';

export interface XDisplay {
  /** `:N`, what DISPLAY is set to for a browser shown on it. */
  display: string;
  /**
   * Presses `keys` (xdotool's names: `alt+shift+g`) as a keyboard would, into the visible window whose
   * class matches `windowClass` (`chromium`, `firefox`): the X server's own key events, which reach
   * the browser's window as the user's do, so its keyboard shortcuts (an extension's commands) fire.
   * Key events sent through CDP or WebDriver BiDi go to the page only: the browser never sees them.
   */
  press(windowClass: string, keys: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A virtual X display of its own (Debian's Xvfb, at a display number it picks free), for a browser
 * that must run with windows: headless browsers have no window to take a keyboard shortcut.
 */
export async function startXDisplay(): Promise<XDisplay> {
  // -displayfd: Xvfb picks a free display number and writes it there once it accepts clients.
  const xvfb = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  xvfb.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('error', (e) => reject(new Error(`${XVFB} could not start (is Debian's xvfb installed? npm test installs it as root): ${e.message}`)));
    xvfb.once('exit', (code) => reject(new Error(`${XVFB} exited (${code}) before it took a display: ${stderr}`)));
  });
  const env = { ...process.env, DISPLAY: display };
  return {
    display,
    async press(windowClass, keys) {
      const { stdout } = await run(XDOTOOL, ['search', '--onlyvisible', '--class', windowClass], { env }).catch((e: unknown) => {
        throw new Error(`no visible ${windowClass} window on ${display}: ${String(e)}`);
      });
      const windows = stdout.trim().split('\n').filter(Boolean);
      if (windows.length !== 1) throw new Error(`expected one visible ${windowClass} window on ${display}, found ${windows.length}`);
      // No window manager on the display: the window is given the keyboard focus directly.
      await run(XDOTOOL, ['windowfocus', '--sync', windows[0]!], { env });
      await run(XDOTOOL, ['key', '--clearmodifiers', keys], { env });
    },
    async close() {
      if (xvfb.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => xvfb.once('exit', () => resolve()));
      xvfb.kill('SIGTERM');
      await exited;
    },
  };
}
