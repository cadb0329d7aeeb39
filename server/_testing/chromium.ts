// Headless Chromium for the dashboard's end-to-end tests: Debian's /usr/bin/chromium through
// playwright-core, a throwaway profile (and downloads folder), and the page errors collected.
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** No network beyond the test server, no sandbox (containers), no GPU. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** False where Chromium is missing: the tests are then skipped, saying so in their names. */
export const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);

/** A browser for one test. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** The downloads folder (with `downloads: true`). */
  readonly downloads: string;
  /** Page errors and CSP or uncaught console errors seen so far: a test expects none. */
  readonly problems: string[];
  /** The first tab, its errors collected into `problems`. */
  page(): Promise<Page>;
  /** Closes the browser and removes its folders. */
  close(): Promise<void>;
}

/** Collects a page's errors into `problems`. */
export function watchPage(page: Page, problems: string[]): Page {
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content Security Policy|Uncaught/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

/** Starts Chromium on a fresh profile. */
export async function openBrowser(
  options: { viewport?: { width: number; height: number }; downloads?: boolean } = {},
): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "nagare-chromium-" });
  const downloads = options.downloads
    ? await Deno.makeTempDir({ prefix: "nagare-downloads-" })
    : "";
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.downloads ? { acceptDownloads: true, downloadsPath: downloads } : {}),
  });
  const problems: string[] = [];
  return {
    context,
    downloads,
    problems,
    page: async () => watchPage(context.pages()[0] ?? await context.newPage(), problems),
    async close() {
      await context.close();
      await Deno.remove(profile, { recursive: true });
      if (downloads) await Deno.remove(downloads, { recursive: true });
    },
  };
}
