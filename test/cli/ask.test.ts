/** The `ask` CLI and the entry points as child processes, the way a person runs them: no token, the bundled corpus. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENV = { PATH: process.env['PATH'], HOME: process.env['HOME'], DATA_DIR: path.join(ROOT, 'data'), CORPUS_AS_OF: '2026-11-27', LOG_LEVEL: 'info' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(script: string, args: string[], env: Record<string, string | undefined> = ENV): Promise<Run> {
  return new Promise((resolve) => {
    // As package.json's script runs it: one process (tsx's CLI would start a second node).
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const ask = (...args: string[]) => runScript('src/cli/ask.ts', args);

/** What a POSIX shell makes of `text`, which must be one word. */
function shellWord(text: string): string {
  return execFileSync('sh', ['-c', `set -- ${text}; [ $# -eq 1 ] && printf %s "$1"`], { encoding: 'utf8' });
}

describe('npm run ask', () => {
  it('prints only the exact payload with --json, and needs no token', async () => {
    const { code, stdout } = await ask('search', '--query', 'slot attention', '--year', '2023', '--json');
    expect(code).toBe(0);
    const payload = JSON.parse(stdout) as Record<string, unknown> & { embeds: Array<{ title: string }> };
    expect(Object.keys(payload)).toEqual(['content', 'embeds', 'components', 'flags', 'allowed_mentions']);
    expect(payload.embeds[0]?.title).toBe('Search: “slot attention”');
    expect(payload['allowed_mentions']).toEqual({ parse: [] });
  });

  it('renders a reply readably, listing the buttons with the ids to click, and follows a click', async () => {
    const first = await ask('search', '--query', 'causal', '--sort', 'newest');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('│ Search: “causal”');
    const next = shellWord(/\[Next ▶\] --click (.+)$/m.exec(first.stdout)?.[1] ?? '');
    expect(next).toMatch(/^search:page:1:/);
    const second = await ask('--click', next!);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Results 6–10 of \d+ · page 2 of/);
  });

  it('checks options against the command definition, with clear errors', async () => {
    const [unknown, range, choice, missing] = await Promise.all([
      ask('search', '--query', 'x', '--colour', 'red'),
      ask('latest', '--count', '11'),
      ask('search', '--query', 'x', '--sort', 'oldest'),
      ask('coauthor'),
    ]);
    expect([unknown.code, range.code, choice.code, missing.code]).toEqual([2, 2, 2, 2]);
    expect(unknown.stderr).toMatchInlineSnapshot(`
      "ask: /search has no option --colour (options: --query, --author, --category, --year, --has_code, --sort)
      "
    `);
    expect(range.stderr).toMatchInlineSnapshot(`
      "ask: /latest --count is at most 10
      "
    `);
    expect(choice.stderr).toMatchInlineSnapshot(`
      "ask: /search --sort is one of: relevance, newest
      "
    `);
    expect(missing.stderr).toMatchInlineSnapshot(`
      "ask: /coauthor needs --name (The person)
      "
    `);
  });

  it('says in one line, with no stack, that the corpus cannot be read, and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ask-empty-'));
    await mkdir(path.join(dir, 'profiles'));
    const { code, stdout, stderr } = await runScript('src/cli/ask.ts', ['stats'], { ...ENV, DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.replace(dir, '<dir>')).toMatchInlineSnapshot(`
      "ask: corpus: no paper could be read from <dir>/profiles (no *.txt page or *.bib file in it)
      "
    `);
  });

  it('prints each --click hint as one shell word that is the button\'s custom_id', async () => {
    const shown = await ask('search', '--query', 'causal discovery');
    const json = await ask('search', '--query', 'causal discovery', '--json');
    const payload = JSON.parse(json.stdout) as { components: Array<{ components: Array<{ custom_id?: string; label?: string }> }> };
    const nextId = payload.components.flatMap((row) => row.components).find((c) => c.label === 'Next ▶')?.custom_id;
    // The paging id carries the query's state, with characters a shell would read (|).
    expect(nextId).toMatch(/\|/);
    const hint = /\[Next ▶\] --click (.+)$/m.exec(shown.stdout)?.[1] ?? '';
    // Each run stamps its own time into the id (its fourth part); the rest is the same.
    const unstamped = (id: string) => id.split(':').filter((_, i) => i !== 3);
    expect(unstamped(shellWord(hint))).toEqual(unstamped(nextId!));
  }, 60_000);

  it('answers `help` as the bot\'s /help does, and names an unknown subcommand as such', async () => {
    const help = await ask('help');
    const slash = await ask('help', '--json');
    const unknown = await ask('follow', 'authr', '--name', 'x');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('│ paperbot commands');
    expect(help.stdout).not.toMatch(/^usage:/m);
    expect((JSON.parse(slash.stdout) as { embeds: Array<{ title: string }> }).embeds[0]?.title).toBe('paperbot commands');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('ask: /follow has no subcommand "authr" (subcommands: author, topic, category, list, clear)\n');
  }, 90_000);

  it('lists every subcommand\'s options and each option\'s choices with --help', async () => {
    const { stdout } = await ask('--help');
    // /cite's format autocompletes (the lab may add styles), so its description names the formats.
    expect(stdout).toMatch(/^ {4}--format: bibtex \(default\), apa, mla, chicago, ieee, ris, csljson/m);
    expect(stdout).toMatch(/^ {4}--sort <relevance\|newest>: /m);
    // /follow author's own option, under its subcommand.
    expect(stdout).toMatch(/^ {4}author: .*\n {6}--name \(required\): /m);
  });

  it('prints the usage to stderr with exit 2 when no command is given, and to stdout with --help', async () => {
    const [bare, help] = await Promise.all([ask(), ask('--help')]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^usage: npm run ask -- <command>/);
    expect(bare.stderr.endsWith('\n')).toBe(true);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(bare.stderr);
  });

  it('ends every message it prints with a newline', async () => {
    const runs = await Promise.all([ask('search', '--query', 'slot'), ask('paper', '--query', 'qqqq zzzz'), ask('latest', '--count', 'x'), ask('search', '--query', 'slot', '--json'), ask('coauthor', '--name', 'locat', '--autocomplete', 'name')]);
    for (const { stdout, stderr } of runs) {
      for (const text of [stdout, stderr].filter(Boolean)) expect(text.endsWith('\n')).toBe(true);
    }
    expect(runs.map((run) => run.code)).toEqual([0, 1, 2, 0, 0]);
  });

  it('runs /announce as the operator, and says announcements run only in the bot', async () => {
    const { code, stdout } = await ask('announce', 'preview');
    expect(code).toBe(1);
    expect(stdout).toMatchInlineSnapshot(`
      "(only you can see this)
      Announcements run only in the bot itself: start it with \`npm start\` and ANNOUNCE_CHANNEL_ID set, then use /announce in Discord. \`ask\` runs commands offline, with no announcer.
      "
    `);
  });

  it('shows what the member would read for an expected error, and exits 1', async () => {
    const { code, stdout } = await ask('paper', '--query', 'qqqq zzzz');
    expect(code).toBe(1);
    expect(stdout).toContain('(only you can see this)\nNo paper matches “qqqq zzzz”.');
  });
});

describe('the bot entry without a token', () => {
  it('names the missing variable, prints no stack and never starts', async () => {
    const { code, stderr } = await runScript('src/index.ts', [], { ...ENV, DISCORD_TOKEN: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN is missing');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
