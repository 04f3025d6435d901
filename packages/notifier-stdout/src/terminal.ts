import pc from "picocolors";

/** Where the notifier writes: process.stdout or process.stderr, or a test double. */
export interface OutputStream {
  write(text: string): unknown;
  /** true on a terminal: live progress with cursor movement; otherwise one plain line per event. */
  isTTY?: boolean;
  /** Terminal width; live lines are cut to fit so that redrawing counts lines right. */
  columns?: number;
  /** Terminal height; the live block shows at most this many lines. */
  rows?: number;
}

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour on a terminal, or wherever FORCE_COLOR asks for it (1, 2, 3, true or empty: CI logs
 * that render ANSI); never with NO_COLOR set (non-empty) or FORCE_COLOR=0/false.
 */
export function colorsFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Colors {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return pc.createColors(false);
  const force = env.FORCE_COLOR;
  if (force !== undefined) return pc.createColors(force !== "0" && force.toLowerCase() !== "false");
  return pc.createColors(isTTY);
}

/** Moves the cursor up `lines` lines to column 0 and erases from there to the end of the screen. */
export function eraseLinesAbove(lines: number): string {
  return lines > 0 ? `\u001b[${lines}A\r\u001b[J` : "";
}

/** Cuts `text` to `width` characters (a line longer than the terminal wraps and breaks redrawing). */
export function fit(text: string, width: number | undefined): string {
  if (width === undefined || width <= 1) return text;
  const chars = Array.from(text);
  return chars.length < width ? text : `${chars.slice(0, width - 2).join("")}…`;
}
