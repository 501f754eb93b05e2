/**
 * First-callback latency under a burst: the real bot (`npm start` over the gateway, and `npm run serve` over HTTP)
 * against the Discord stand-in, 200 and 500 interactions at once mixing every command (test/e2e/burst.ts), quiet and
 * with three busy processes beside. Latency is from each interaction's creation (its snowflake's time, as Discord
 * counts the 3 s) to the first callback reaching the stand-in. The stand-in accepts late callbacks here (deadline
 * 60 s) so they are measured instead of refused.
 *
 * It also measures CPU time: the bot's (its process's user + system time, from /proc, load-independent) and the
 * bench's own (the stand-in and the driver, which share the two cores with the bot), each per interaction of the burst.
 *
 *   npm run bench:burst                                  # both transports, 200 and 500, quiet and busy
 *   npm run bench:burst -- --transports http --counts 200 --busy 0
 *   npm run bench:burst -- --cpu-prof /tmp/prof          # the bot's hottest functions during the bursts
 */
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
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
  /** First callbacks later than Discord's 3 s, or none at all. */
  late: number;
  loadAverage: number;
  /** The bot's CPU time (user + system) per interaction, ms: until every first callback, and until every answer. */
  botCpuFirst: number;
  botCpuAll: number;
  /** The bench's own CPU time (stand-in and driver) per interaction until every first callback, ms. */
  benchCpuFirst: number;
}

/** What to run besides the transports and counts. */
export interface BurstOptions {
  /** Numbers of busy processes, one row each (default 0 and 3). */
  busy?: number[];
  /** A directory for the bot's `--cpu-prof` profile; the hottest functions during the bursts are printed. */
  cpuProfDir?: string;
}

/** Runs every transport × count × (quiet, busy) and returns the rows. */
export async function benchBurst(transports: Transport[], counts: number[], options: BurstOptions = {}): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  for (const transport of transports) {
    const discord = await DiscordStandIn.start({ callbackDeadlineMs: 60_000 });
    const workspace = await makeWorkspace();
    let bot: BotProcess | null = null;
    // Monotonic µs (as V8's profile counts them) of each burst, to pick the profile's samples.
    const windows: Array<[bigint, bigint]> = [];
    // The bench profiles itself during the bursts too: the stand-in's CPU competes with the bot's on the same cores.
    const session = options.cpuProfDir ? new Session() : null;
    let benchProfile: Profile | null = null;
    try {
      const profiling = options.cpuProfDir ? { NODE_OPTIONS: `--import=${pathToFileURL(await writeProfiler(options.cpuProfDir)).href}` } : {};
      const env = { ...botEnvironment(discord, workspace), LOG_LEVEL: 'info', ...profiling };
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
      if (session) {
        session.connect();
        session.post('Profiler.enable');
        session.post('Profiler.setSamplingInterval', { interval: 500 });
      }
      for (const count of counts) {
        for (const busy of options.busy ?? [0, 3]) {
          const spinning = busy > 0 ? busyProcesses(busy) : null;
          // Let the busy processes get going (and the scheduler see them) before the burst.
          await new Promise((resolve) => setTimeout(resolve, 500));
          const loadAverage = os.loadavg()[0] ?? 0;
          try {
            const pid = bot.child.pid ?? 0;
            const botBefore = await cpuMsOf(pid);
            const benchBefore = process.cpuUsage();
            session?.post('Profiler.start');
            const from = process.hrtime.bigint() / 1000n;
            const records = fireBurst(discord, setup, count);
            await awaitFirstCallbacks(discord, records, 30_000);
            const benchUsed = process.cpuUsage(benchBefore);
            const botFirst = (await cpuMsOf(pid)) - botBefore;
            const latencies = firstCallbackLatencies(records).sort((a, b) => a - b);
            results.push({
              transport,
              count,
              busy,
              answered: latencies.length,
              p50: percentile(latencies, 0.5),
              p99: percentile(latencies, 0.99),
              max: latencies.at(-1) ?? Number.NaN,
              // Unanswered ones count as late: the bot leaves those Discord would refuse (older than 3 s) unanswered.
              late: latencies.filter((ms) => ms > 3_000).length + count - latencies.length,
              loadAverage,
              botCpuFirst: botFirst / count,
              botCpuAll: Number.NaN,
              benchCpuFirst: (benchUsed.user + benchUsed.system) / 1000 / count,
            });
            // The final answers (the edits after deferrals) before the next burst, waited for together.
            await Promise.all(records.filter((record) => record.callback).map((record) => discord.answer(record, 30_000).catch(() => undefined)));
            windows.push([from, process.hrtime.bigint() / 1000n]);
            if (session) benchProfile = mergeProfile(benchProfile, await stopProfiler(session));
            results.at(-1)!.botCpuAll = ((await cpuMsOf(pid)) - botBefore) / count;
          } finally {
            spinning?.stop();
          }
          process.stderr.write(`burst: ${JSON.stringify(results.at(-1))}\n`);
        }
      }
      if (options.cpuProfDir) {
        // A clean exit writes the profile.
        await bot.stop('SIGTERM', 30_000);
        const profile = await botProfile(options.cpuProfDir);
        process.stderr.write(`${profile ? hottest(profile, windows, `burst: ${transport}: the bot during the bursts`) : 'burst: the bot wrote no profile'}\n`);
        if (benchProfile) process.stderr.write(`${hottest(benchProfile, null, `burst: ${transport}: the bench (stand-in and driver) during the bursts`)}\n`);
      }
    } finally {
      bot?.kill();
      await discord.close();
      await workspace.remove();
    }
  }
  return results;
}

// Node 20 refuses --cpu-prof in NODE_OPTIONS, so a preloaded module profiles through the inspector and writes
// the profile on exit (the inspector answers a session of the same thread synchronously).
async function writeProfiler(dir: string): Promise<string> {
  const file = path.join(dir, 'profiler.mjs');
  const text = `import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(${JSON.stringify(dir)} + '/' + Date.now() + '-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
});
`;
  await writeFile(file, text);
  return file;
}

// A process's CPU time so far (user + system, all threads), ms, from /proc/<pid>/stat.
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Linux's USER_HZ: /proc counts CPU time in these. */
const CLOCK_TICKS = 100;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: Array<ProfileNode & { children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

// A profile's samples inside `windows` (all of them when null), summed by function: the top 25 by self time, and
// the top 25 of ours (src/, commands/) and of the libraries the acknowledgement goes through, by inclusive time.
function hottest(profile: Profile, windows: ReadonlyArray<[bigint, bigint]> | null, label: string): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const name = (frame: ProfileNode['callFrame']): string =>
    `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|commands|test|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
  const selfUs = new Map<string, number>();
  const inclusiveUs = new Map<string, number>();
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (windows && !windows.some(([from, to]) => at >= Number(from) && at <= Number(to))) continue;
    const node = nodes.get(profile.samples[i] ?? -1);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    selfUs.set(name(node.callFrame), (selfUs.get(name(node.callFrame)) ?? 0) + delta);
    total += delta;
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parents.get(id)) {
      const key = name(nodes.get(id)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveUs.set(key, (inclusiveUs.get(key) ?? 0) + delta);
    }
  }
  const rows = (entries: Array<[string, number]>) => entries.map(([key, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
  const ours = [...inclusiveUs].filter(([key]) => /(^| )(src|commands)\/|discord\.js|@discordjs|undici|node:http|node:net/.test(key));
  return [
    `${label}: ${(total / 1000).toFixed(0)} ms busy`,
    'self time:',
    ...rows([...selfUs].sort((a, b) => b[1] - a[1]).slice(0, 25)),
    'inclusive time (ours and the transport libraries):',
    ...rows(ours.sort((a, b) => b[1] - a[1]).slice(0, 25)),
  ].join('\n');
}

function stopProfiler(session: Session): Promise<Profile> {
  return new Promise((resolve, reject) => session.post('Profiler.stop', (error, result) => (error ? reject(error) : resolve(result.profile as unknown as Profile))));
}

// Two profiles of one process as one (node ids of the second shifted past the first's).
function mergeProfile(first: Profile | null, second: Profile): Profile {
  if (!first) return second;
  const shift = Math.max(...first.nodes.map((node) => node.id)) + 1;
  return {
    nodes: [...first.nodes, ...second.nodes.map((node) => ({ ...node, id: node.id + shift, children: node.children?.map((child) => child + shift) }))],
    startTime: first.startTime,
    samples: [...first.samples, ...second.samples.map((sample) => sample + shift)],
    // The gap between the two lies outside every window; counting from the first start keeps the sums right.
    timeDeltas: [...first.timeDeltas, second.startTime - (first.startTime + first.timeDeltas.reduce((a, b) => a + b, 0)) + (second.timeDeltas[0] ?? 0), ...second.timeDeltas.slice(1)],
  };
}

// The newest profile the bot wrote into `dir`.
async function botProfile(dir: string): Promise<Profile | null> {
  const newest = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort().at(-1);
  return newest ? (JSON.parse(await readFile(path.join(dir, newest), 'utf8')) as Profile) : null;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function table(results: readonly BurstResult[]): string {
  const lines = [
    '| transport | interactions | busy processes | first callback p50 / p99 / max ms | later than 3 s | load average | bot CPU ms per interaction (first callbacks / all answers) | bench CPU ms per interaction |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.transport} | ${r.count} | ${r.busy} | ${r.p50} / ${r.p99} / ${r.max} | ${r.late} of ${r.count}${r.answered < r.count ? ` (${r.count - r.answered} of them unanswered)` : ''} | ${r.loadAverage.toFixed(1)} | ${r.botCpuFirst.toFixed(2)} / ${r.botCpuAll.toFixed(2)} | ${r.benchCpuFirst.toFixed(2)} |`,
    );
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
  const busy = (argument('busy') ?? '0,3').split(',').map(Number);
  const cpuProfDir = argument('cpu-prof');
  const results = await benchBurst(transports, counts, { busy, ...(cpuProfDir ? { cpuProfDir: path.resolve(cpuProfDir) } : {}) });
  process.stdout.write(`${table(results)}\n`);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) await main();
