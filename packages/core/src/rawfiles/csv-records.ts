const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** How much of the first record is kept for header inference; a longer header is not a header. */
export const FIRST_RECORD_LIMIT = 64 * 1024;

/**
 * Counts CSV records in a byte stream fed chunk by chunk; it is not a parser and never looks at
 * fields. The rules (README, "Raw files and STAGECOUNT"):
 * - a record ends at an LF outside quotes; a CR before it belongs to the line ending (CRLF);
 *   a CR alone is not a line break;
 * - every `"` toggles quoting, so a quoted field may hold LFs and `""` (an escaped quote);
 * - an empty line (nothing, or only CR, before the LF) is not a record; a line of blanks is;
 * - a last record without a final LF counts;
 * - a file that ends inside quotes is malformed (`unterminatedQuote`).
 *
 * Speed: on each chunk the next quote and the next LF are found with Buffer.indexOf (native
 * memchr), so a record costs a few native calls whatever its length.
 */
export class CsvRecordCounter {
  records = 0;
  private inQuotes = false;
  /** Bytes of the current record seen in earlier chunks. */
  private carried = 0;
  /** The last byte of the current record seen in earlier chunks was CR. */
  private carriedEndsInCr = false;
  private readonly first: Buffer[] = [];
  private firstLength = 0;
  private firstDone = false;

  /** Feeds bytes; `chunk` may be reused by the caller afterwards. */
  push(chunk: Buffer): void {
    const end = chunk.length;
    let p = 0;
    let recordStart = 0;
    let nextQuote = -2; // -2: not looked for yet; -1: none left in this chunk
    let nextLf = -2;
    while (p < end) {
      if (this.inQuotes) {
        const close = chunk.indexOf(QUOTE, p);
        if (close === -1) break;
        this.inQuotes = false;
        p = close + 1;
        continue;
      }
      if (nextQuote !== -1 && nextQuote < p) nextQuote = chunk.indexOf(QUOTE, p);
      if (nextLf !== -1 && nextLf < p) nextLf = chunk.indexOf(LF, p);
      if (nextLf !== -1 && (nextQuote === -1 || nextLf < nextQuote)) {
        this.endRecord(chunk, recordStart, nextLf);
        p = nextLf + 1;
        recordStart = p;
        continue;
      }
      if (nextQuote === -1) break;
      this.inQuotes = true;
      p = nextQuote + 1;
    }
    if (recordStart < end) {
      if (!this.firstDone) this.keepFirst(chunk, recordStart, end);
      this.carried += end - recordStart;
      this.carriedEndsInCr = chunk[end - 1] === CR;
    }
  }

  /** Call once after the last chunk; returns the number of records. */
  finish(): number {
    if (this.inQuotes) return this.records;
    if (this.carried > 1 || (this.carried === 1 && !this.carriedEndsInCr)) this.records++;
    this.firstDone = true;
    this.carried = 0;
    return this.records;
  }

  /** The file ended inside a quoted field (only meaningful after finish()). */
  get unterminatedQuote(): boolean {
    return this.inQuotes;
  }

  /** The bytes of the first record (at most FIRST_RECORD_LIMIT), without its line ending. */
  firstRecord(): Buffer | null {
    if (this.records === 0) return null;
    const bytes = Buffer.concat(this.first);
    return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
  }

  private endRecord(chunk: Buffer, start: number, lf: number): void {
    const length = this.carried + (lf - start);
    const endsInCr = lf > start ? chunk[lf - 1] === CR : this.carriedEndsInCr;
    this.carried = 0;
    this.carriedEndsInCr = false;
    if (length === 0 || (length === 1 && endsInCr)) {
      // An empty line: not a record, and not the first one either.
      if (!this.firstDone) this.first.length = this.firstLength = 0;
      return;
    }
    if (!this.firstDone) {
      this.keepFirst(chunk, start, lf);
      this.firstDone = true;
    }
    this.records++;
  }

  private keepFirst(chunk: Buffer, start: number, end: number): void {
    const room = FIRST_RECORD_LIMIT - this.firstLength;
    if (room <= 0) return;
    const piece = Buffer.from(chunk.subarray(start, Math.min(end, start + room)));
    this.first.push(piece);
    this.firstLength += piece.length;
  }
}
