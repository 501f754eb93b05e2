/**
 * Debian's chromium driven by playwright-core (no browser download): launched headless with everything that
 * would reach the network turned off, and a record of every request a page makes that leaves the machine.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Where .ci/run installs Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches chromium; throws, naming the fix, when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Requests of a context to anywhere but `file:`, `data:` and the loopback address: refused, and listed. */
export async function refuseOutsideRequests(context: BrowserContext): Promise<string[]> {
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'file:' || url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  return outside;
}
