/**
 * A recording stream plus a minimal terminal: enough of ANSI (cursor up, carriage return,
 * erase to end of screen, SGR colours ignored) to know what a user would see at the end.
 */
export class RecordingStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
    readonly rows = 24,
  ) {}

  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }

  get output(): string {
    return this.chunks.join("");
  }

  /** The lines on screen after every write, trailing empty lines dropped. */
  screen(): string[] {
    const lines: string[] = [""];
    let row = 0;
    let col = 0;
    const text = this.output;
    for (let i = 0; i < text.length; ) {
      const rest = text.slice(i);
      // eslint-disable-next-line no-control-regex
      const csi = /^\u001b\[(\d*)([A-Za-z])/.exec(rest);
      if (csi) {
        const n = csi[1] === "" ? 1 : Number(csi[1]);
        if (csi[2] === "A") row = Math.max(0, row - n);
        else if (csi[2] === "J") {
          lines.length = row + 1;
          lines[row] = lines[row]!.slice(0, col);
        } else if (csi[2] !== "m") throw new Error(`unexpected escape ${JSON.stringify(csi[0])}`);
        i += csi[0].length;
        continue;
      }
      const ch = text[i]!;
      if (ch === "\n") {
        row++;
        col = 0;
        while (lines.length <= row) lines.push("");
      } else if (ch === "\r") {
        col = 0;
      } else {
        const line = lines[row]!.padEnd(col);
        lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
        col++;
      }
      i++;
    }
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/;
// eslint-disable-next-line no-control-regex
export const SGR = /\u001b\[[0-9;]*m/;
