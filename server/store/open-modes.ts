import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';

/**
 * Warns, once at start-up, about the data folder, the database and the signing key when other
 * accounts can read (or write, or list) them: the folder and files Gloss creates are private
 * (private-files.ts), but ones that existed before keep their mode. They are not changed here: the
 * operator may have opened them on purpose (a backup account in the group), and a server that
 * silently rewrites modes on every start fights any such set-up. The warning names the path and the
 * mode, never the content.
 */
export function warnOpenModes(dbPath: string, secretInFile: boolean, log: Logger): void {
  if (dbPath === ':memory:') return;
  const dir = path.dirname(dbPath);
  const files: [kind: string, file: string][] = [
    ['data folder', dir],
    ['database', dbPath],
  ];
  if (secretInFile) files.push(['signing key', path.join(dir, 'secret')]);
  for (const [kind, file] of files) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    const mode = (stat?.mode ?? 0) & 0o777;
    if ((mode & 0o077) === 0) continue;
    log.warn('file_open_to_others', {
      kind,
      path: file,
      mode: `0${mode.toString(8).padStart(3, '0')}`,
      advice: `other accounts on this machine can reach it; chmod ${stat!.isDirectory() ? '700' : '600'} unless that is intended`,
    });
  }
}
