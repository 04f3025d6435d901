import type { Notifier, RunCounts, RunEvent } from "@assay/ports";
import {
  countsText,
  finishedLine,
  formatDuration,
  preconditionLine,
  runFinishedLine,
  runStartedLine,
  stepLine,
  testCaseLabel,
  warningLine,
} from "./lines.js";
import { eraseLinesAbove, fit, type Colors, type OutputStream } from "./terminal.js";

/** At most this many redraws per second. */
const FRAMES_PER_SECOND = 10;
const FRAME_MS = 1000 / FRAMES_PER_SECOND;

interface Running {
  label: string;
  startedAt: number;
}

export interface LiveProgressOptions {
  verbose: boolean;
  colors: Colors;
  /** Milliseconds clock; injectable for tests. */
  now: () => number;
}

/**
 * Output for a terminal: a live block at the bottom (one line per running test case with its
 * elapsed time, and a counts line) redrawn in place at most 10 times a second; finished test
 * cases, warnings and the run's start and end are printed once above it as permanent lines.
 * The block is erased when the run finishes, leaving only the permanent lines.
 */
export class LiveProgress implements Notifier {
  readonly #stream: OutputStream;
  readonly #options: LiveProgressOptions;
  readonly #running = new Map<string, Running>();
  readonly #labels = new Map<string, string>();
  #counts: RunCounts = { total: 0, ok: 0, nok: 0, na: 0, error: 0 };
  #totalKnown = false;
  /** Permanent lines waiting for the next frame. */
  #pending: string[] = [];
  /** Lines of the live block currently on screen. */
  #drawn = 0;
  #live = false;
  #dirty = false;
  #lastFrame = Number.NEGATIVE_INFINITY;
  #ticker: NodeJS.Timeout | undefined;

  constructor(stream: OutputStream, options: LiveProgressOptions) {
    this.#stream = stream;
    this.#options = options;
  }

  notify(event: RunEvent): void {
    const c = this.#options.colors;
    switch (event.type) {
      case "run.started":
        this.#counts = { total: event.total, ok: 0, nok: 0, na: 0, error: 0 };
        this.#totalKnown = true;
        this.#pending.push(runStartedLine(event, c));
        this.#start();
        break;
      case "testcase.started": {
        const label = testCaseLabel(event);
        this.#labels.set(event.testCaseId, label);
        this.#running.set(event.testCaseId, { label, startedAt: this.#options.now() });
        this.#start();
        break;
      }
      case "testcase.precondition":
        if (this.#options.verbose) this.#pending.push(preconditionLine(event, c));
        break;
      case "testcase.step":
        if (this.#options.verbose) this.#pending.push(stepLine(event, c));
        break;
      case "testcase.finished":
        this.#running.delete(event.testCaseId);
        this.#count(event.status === "ERROR" ? "error" : event.result);
        this.#pending.push(finishedLine(event, c));
        break;
      case "warning":
        this.#pending.push(warningLine(event, event.testCaseId === null ? undefined : this.#labels.get(event.testCaseId), c));
        break;
      case "run.finished":
        this.#pending.push(runFinishedLine(event, c));
        this.#stop();
        return;
    }
    this.#dirty = true;
    // Throttle: draw now if the last frame is old enough, else the ticker draws it.
    if (this.#options.now() - this.#lastFrame >= FRAME_MS || !this.#live) this.#frame();
  }

  async close(): Promise<void> {
    this.#stop();
  }

  #count(result: "OK" | "NOK" | "N/A" | "error"): void {
    const key = result === "OK" ? "ok" : result === "NOK" ? "nok" : result === "N/A" ? "na" : "error";
    this.#counts = { ...this.#counts, [key]: this.#counts[key] + 1 };
  }

  #start(): void {
    if (this.#live) return;
    this.#live = true;
    // Elapsed times change even when no event arrives.
    this.#ticker = setInterval(() => {
      if (this.#dirty || this.#running.size > 0) this.#frame();
    }, FRAME_MS);
    this.#ticker.unref();
  }

  /** Ends the live block: erases it and prints what is pending. Idempotent. */
  #stop(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#live = false;
    this.#running.clear();
    this.#labels.clear();
    this.#totalKnown = false;
    if (this.#drawn > 0 || this.#pending.length > 0) this.#frame();
  }

  /** One redraw, in one write so the terminal never shows a half-drawn frame. */
  #frame(): void {
    const block = this.#live ? this.#block() : [];
    const text = eraseLinesAbove(this.#drawn) + [...this.#pending, ...block].map((line) => `${line}\n`).join("");
    this.#pending = [];
    this.#drawn = block.length;
    this.#dirty = false;
    this.#lastFrame = this.#options.now();
    if (text !== "") this.#stream.write(text);
  }

  #block(): string[] {
    const c = this.#options.colors;
    const width = this.#stream.columns;
    const now = this.#options.now();
    // Keep the block on screen: lines scrolled off the top could not be redrawn.
    const room = Math.max(1, (this.#stream.rows ?? 24) - 2);
    const running = [...this.#running.values()];
    const shown = running.length > room ? running.slice(0, room - 1) : running;
    const lines = shown.map((r) => c.cyan(fit(`  running ${r.label}  ${formatDuration(now - r.startedAt)}`, width)));
    if (shown.length < running.length) lines.push(c.dim(fit(`  ... and ${running.length - shown.length} more running`, width)));
    const done = this.#counts.ok + this.#counts.nok + this.#counts.na + this.#counts.error;
    const total = this.#totalKnown ? String(this.#counts.total) : "?";
    lines.push(c.bold(fit(`  ${done}/${total} done: ${countsText(this.#counts)}`, width)));
    return lines;
  }
}
