/**
 * A big page dropped into the running bot while members keep asking (issue 23): one profile page of about
 * `--mb` MiB (synthetic papers of one owner, bench/synthetic.ts, printed as one page; the loader refuses pages over
 * 20 MB), written into DATA_DIR/profiles while the real bot (`npm start`) answers 5 interactions a second from the
 * burst mix (test/e2e/burst.ts) for `--seconds`. The stand-in accepts late callbacks (deadline 60 s) so they are
 * measured: first-callback p50, p99 and max from each interaction's creation, how many came after Discord's 3 s,
 * and, from the bot's log, how long the page took to read and index and when its announcement went out.
 *
 *   npm run bench:page                       # an 18 MiB page (~15,000 papers), 120 s of interactions
 *   npm run bench:page -- --mb 5 --seconds 60
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseProfilePage } from '../src/corpus/parse.js';
import { printProfilePage } from '../src/corpus/print.js';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, SEED_PAGE } from '../test/e2e/bot-process.js';
import { awaitFirstCallbacks, fireBurst, firstCallbackLatencies, prepareBurst } from '../test/e2e/burst.js';
import type { InteractionRecord } from '../test/e2e/standin/server.js';
import { DiscordStandIn } from '../test/e2e/standin/server.js';
import { syntheticPages } from './synthetic.js';

const AS_OF = new Date('2026-11-27');
const CHANNEL_ID = '1300000000000000002';
const PER_SECOND = 5;

const { values } = parseArgs({ options: { mb: { type: 'string', default: '18' }, seconds: { type: 'string', default: '120' } } });
const targetBytes = Number(values.mb) * 1024 * 1024;
const seconds = Number(values.seconds);

// One page of synthetic papers of one owner, grown until it reaches the target size.
function bigPage(): { text: string; papers: number } {
  const seed = { file: SEED_PAGE, text: readFileSync(SEED_PAGE, 'utf8') };
  for (let count = 2_000; ; ) {
    const papers = syntheticPages(seed, count, { asOf: AS_OF })
      .slice(1)
      .flatMap((page) => parseProfilePage(page.text, page.file, { asOf: AS_OF }).papers);
    const text = printProfilePage({ owner: 'Grace Hopper', primaryCategory: 'LG', papersListed: papers.length }, papers);
    if (text.length >= targetBytes) return { text, papers: papers.length };
    count = Math.ceil((count * targetBytes) / text.length) + 100;
  }
}

const page = bigPage();
const discord = await DiscordStandIn.start({ extraChannelIds: [CHANNEL_ID], callbackDeadlineMs: 60_000 });
const workspace = await makeWorkspace();
const env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: CHANNEL_ID });
let bot: BotProcess | null = null;
try {
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
  bot = BotProcess.start(env);
  await bot.ready(120_000);
  await bot.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus'), 120_000);
  const setup = await prepareBurst(discord);
  const loadBefore = os.loadavg()[0] ?? 0;
  const droppedAt = Date.now();
  writeFileSync(path.join(workspace.profilesDir, 'grace-hopper.txt'), page.text);
  const records: InteractionRecord[] = [];
  for (let second = 0; second < seconds; second += 1) {
    records.push(...fireBurst(discord, setup, PER_SECOND));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await awaitFirstCallbacks(discord, records, 60_000);
  const latencies = firstCallbackLatencies(records).sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN;
  const reloaded = bot.logs.find((line) => line.msg === 'corpus: reloaded');
  const announced = bot.logs.find((line) => line.msg === 'announce: new papers found');
  const sinceDrop = (line: Record<string, unknown> | undefined): string => (line ? `${Date.parse(String(line['time'])) - droppedAt} ms` : 'not within the run');
  process.stdout.write(
    [
      `page: ${(page.text.length / 1024 / 1024).toFixed(1)} MiB, ${page.papers.toLocaleString('en-US')} papers; load average ${loadBefore.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after`,
      `interactions: ${records.length} over ${seconds} s, ${latencies.length} answered; first callback p50 / p99 / max ${at(0.5)} / ${at(0.99)} / ${latencies.at(-1)} ms; later than 3 s: ${latencies.filter((ms) => ms > 3_000).length}`,
      `reloaded after ${sinceDrop(reloaded)} (read ${String(reloaded?.['readMs'] ?? '–')} ms, index ${String(reloaded?.['indexMs'] ?? '–')} ms); announced after ${sinceDrop(announced)}`,
    ].join('\n') + '\n',
  );
} finally {
  bot?.kill();
  await discord.close();
  await workspace.remove();
}
