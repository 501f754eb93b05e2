/**
 * Bursts against the real bot: 200 interactions at once, mixing every command, autocompletes and a pager click
 * (the 500 the issue names is `npm run bench:burst`'s, whose figures are in bench/README.md: on 2 cores shared with
 * other jobs its p99 sits too near 3 s for a test that must not fail by chance). This file runs on its own, after the rest
 * of the suite (`npm test`), so no other test's processes share the cores with the burst. Each interaction's
 * first callback must reach the stand-in within Discord's 3 s of its creation: the stand-in refuses a later one
 * with 10062 and records a violation, which fails the test. No timing is asserted here beyond that rule.
 * Both transports: the gateway (`npm start`) and HTTP interactions (`npm run serve`), each quiet and then with
 * three busy processes (`node -e "for (;;) {}"`) beside the bot on the host's cores, as the issue asks; on a quiet
 * 2-core host the slowest first callback of those came after 0.4 s (bench/README.md, "Bursts").
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnvironment, BotProcess, failOnStandInProblems, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { awaitFirstCallbacks, BURST_COMMANDS, busyProcesses, fireBurst, prepareBurst, type BurstSetup } from './burst.js';
import { isApology } from './messages.js';
import { listeningUrl, publicKeyHex } from './serve-process.js';
import { DiscordStandIn, type InteractionRecord } from './standin/server.js';

const COMMANDS_OF = (records: readonly InteractionRecord[]): string[] =>
  [...new Set(records.filter((record) => record.type === 2).map((record) => record.label.slice(1).split(/[ {]/)[0] ?? ''))].sort();

for (const transport of ['gateway', 'http'] as const) {
  describe(`a burst over ${transport === 'gateway' ? 'the gateway (npm start)' : 'HTTP interactions (npm run serve)'}`, () => {
    let discord: DiscordStandIn;
    let workspace: Workspace;
    let bot: BotProcess;
    let setup: BurstSetup;

    beforeAll(async () => {
      discord = await DiscordStandIn.start();
      workspace = await makeWorkspace();
      const env = botEnvironment(discord, workspace);
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
      setup = await prepareBurst(discord);
    }, 120_000);

    afterAll(async () => {
      bot?.kill();
      await discord?.close();
      await workspace?.remove();
    });

    failOnStandInProblems(() => discord, () => bot.tail());

    // Quiet first (the process's first charts and networks render in it), then with three busy processes beside.
    for (const busy of [0, 3]) {
      it(`answers 200 interactions at once${busy > 0 ? `, beside ${busy} busy processes,` : ','} each first callback within 3 s of its creation`, async () => {
        const load = busyProcesses(busy);
        let records: ReturnType<typeof fireBurst>;
        try {
          records = fireBurst(discord, setup, 200);
          const open = await awaitFirstCallbacks(discord, records, 30_000);
          expect(open.map((record) => record.label), discord.report()).toEqual([]);
        } finally {
          load.stop();
        }
        expect(COMMANDS_OF(records)).toEqual(BURST_COMMANDS);
        // Every member gets a real answer in the end: not an apology, not "busy" (well inside the queue's bound).
        for (const record of records) {
          const answer = await discord.answer(record, 60_000);
          if (answer.kind === 'reply' || answer.kind === 'update') {
            expect(isApology(answer.message), `${record.label}: ${answer.message.content}`).toBe(false);
            expect(answer.message.content, record.label).not.toMatch(/busy/);
          }
        }
      }, 180_000);
    }
  });
}
