/**
 * First-callback latency under a burst: the real bot (`npm start` over the gateway, and `npm run serve` over HTTP)
 * against the Discord stand-in, 200 and 500 interactions at once mixing every command (test/e2e/burst.ts), quiet and
 * with three busy processes beside. Latency is from each interaction's creation (its snowflake's time, as Discord
 * counts the 3 s) to the first callback reaching the stand-in. The stand-in accepts late callbacks here (deadline
 * 60 s) so they are measured instead of refused.
 *
 *   npm run bench:burst                                  # both transports, 200 and 500, quiet and busy
 *   npm run bench:burst -- --transports http --counts 200
 */
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { botEnvironment, BotProcess, makeWorkspace, runRegister } from '../test/e2e/bot-process.js';
import { awaitFirstCallbacks, busyProcesses, fireBurst, firstCallbackLatencies, prepareBurst } from '../test/e2e/burst.js';
import { listeningUrl, publicKeyHex } from '../test/e2e/serve-process.js';
import { DiscordStandIn } from '../test/e2e/standin/server.js';

type Transport = 'gateway' | 'http';

/** One row of the table. */
export interface BurstResult {
  transport: Transport;
  count: number;
  busy: number;
  answered: number;
  p50: number;
  p99: number;
  max: number;
  /** First callbacks later than Discord's 3 s. */
  late: number;
  loadAverage: number;
}

/** Runs every transport × count × (quiet, busy) and returns the rows. */
export async function benchBurst(transports: Transport[], counts: number[], busyCount = 3): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  for (const transport of transports) {
    const discord = await DiscordStandIn.start({ callbackDeadlineMs: 60_000 });
    const workspace = await makeWorkspace();
    let bot: BotProcess | null = null;
    try {
      const env = { ...botEnvironment(discord, workspace), LOG_LEVEL: 'info' };
      const registered = await runRegister(env);
      if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
      if (transport === 'gateway') {
        bot = BotProcess.start(env);
        await bot.ready(60_000);
      } else {
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        bot = BotProcess.start({ ...env, DISCORD_PUBLIC_KEY: publicKeyHex(publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
        discord.delivery = { url: `${await listeningUrl(bot)}/interactions`, privateKey };
      }
      const setup = await prepareBurst(discord);
      for (const count of counts) {
        for (const busy of [0, busyCount]) {
          const spinning = busy > 0 ? busyProcesses(busy) : null;
          // Let the busy processes get going (and the scheduler see them) before the burst.
          await new Promise((resolve) => setTimeout(resolve, 500));
          const loadAverage = os.loadavg()[0] ?? 0;
          try {
            const records = fireBurst(discord, setup, count);
            await awaitFirstCallbacks(discord, records, 30_000);
            const latencies = firstCallbackLatencies(records).sort((a, b) => a - b);
            results.push({
              transport,
              count,
              busy,
              answered: latencies.length,
              p50: percentile(latencies, 0.5),
              p99: percentile(latencies, 0.99),
              max: latencies.at(-1) ?? Number.NaN,
              late: latencies.filter((ms) => ms > 3_000).length,
              loadAverage,
            });
            // The final answers (the edits after deferrals) before the next burst, waited for together.
            await Promise.all(records.map((record) => discord.answer(record, 30_000).catch(() => undefined)));
          } finally {
            spinning?.stop();
          }
          process.stderr.write(`burst: ${JSON.stringify(results.at(-1))}\n`);
        }
      }
    } finally {
      bot?.kill();
      await discord.close();
      await workspace.remove();
    }
  }
  return results;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function table(results: readonly BurstResult[]): string {
  const lines = ['| transport | interactions | busy processes | first callback p50 / p99 / max ms | later than 3 s | load average |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of results) {
    lines.push(`| ${r.transport} | ${r.count} | ${r.busy} | ${r.p50} / ${r.p99} / ${r.max} | ${r.late} of ${r.count}${r.answered < r.count ? ` (${r.count - r.answered} unanswered)` : ''} | ${r.loadAverage.toFixed(1)} |`);
  }
  return lines.join('\n');
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const transports = (argument('transports') ?? 'gateway,http').split(',') as Transport[];
  const counts = (argument('counts') ?? '200,500').split(',').map(Number);
  const results = await benchBurst(transports, counts);
  process.stdout.write(`${table(results)}\n`);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) await main();
