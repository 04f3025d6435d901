import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";

/**
 * Opens report pages in Debian's Chromium through playwright-core, for tests: what a reader's
 * browser does with the file. Nothing is downloaded: the browser is the system package.
 */

export const CHROMIUM = process.env.ASSAY_CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Installs Debian's chromium where it can (root with apt-get) and returns null when a browser
 * is there, or why the browser tests cannot run.
 */
export function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = existsSync("/usr/bin/apt-get");
  if (!root || !apt) return `${CHROMIUM} is not installed and cannot be installed here (${!apt ? "no apt-get" : "not root"}); install Debian's chromium package to run them`;
  try {
    execFileSync("apt-get", ["update"], { stdio: "ignore", timeout: 300_000 });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "ignore", timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch (error) {
    return `installing chromium with apt-get failed: ${(error as Error).message.split("\n")[0]}`;
  }
  return existsSync(CHROMIUM) ? null : `apt-get installed no ${CHROMIUM}`;
}

/** A page opened from a file, with what it logged and requested. */
export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request other than the page's own file. */
  requests: string[];
  close(): Promise<void>;
}

export async function openInChromium(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(path.join(tmpdir(), "assay-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
  // Playwright's 30 s per action is too short when CI runs every package's tests on two cores;
  // the tests' own bound catches a real hang.
  context.setDefaultTimeout(150_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const url = pathToFileURL(file).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return {
    page,
    errors,
    requests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
