// Formats the paths, shell words and error messages that the main job prints.

import path from "node:path";

/** Returns `target` relative to `cwd` when it lies inside `cwd`, else the absolute path. */
export function displayPath(target: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, target);
  if (relative === "") return ".";
  if (relative.startsWith("..") || path.isAbsolute(relative)) return target;
  return relative;
}

/** Returns an error's message on one line, for a one-line error report. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").trim();
}

/** Quotes a word for a POSIX shell, leaving plain words as they are. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\/.:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}
