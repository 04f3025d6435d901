/**
 * Text from users' files (test set, object and scenario names, summaries quoting them) made
 * safe for a terminal: control characters are shown as escapes (`\x1B`, `\x00`, `\n`), so that
 * a name holding ESC cannot move the cursor or recolour the screen, and NUL stays visible,
 * with NO_COLOR or without. Printable text, Unicode included, is unchanged.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  });
}
