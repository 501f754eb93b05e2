/**
 * Makes data/readme/paper-reply.png, the README's picture of a reply: runs `ask … --json` on the bundled corpus,
 * lays the payload's first embed and its buttons out as Discord's dark theme shows them (our own HTML: colour bar,
 * title, description, fields, footer), and screenshots that page with playwright-core and the system's Chromium.
 * `node --import tsx data/readme/screenshot.ts` (needs /usr/bin/chromium; CHROMIUM=… for another path).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARGS = ['paper', '--query', 'DINOSAUR', '--json'];
const OUT = path.join(ROOT, 'data/readme/paper-reply.png');

interface Embed { title?: string; url?: string; description?: string; color?: number; fields?: Array<{ name: string; value: string; inline?: boolean }>; footer?: { text: string } }
interface Payload { embeds: Embed[]; components: Array<{ components: Array<{ label?: string; url?: string }> }> }

const payload = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...ARGS], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CORPUS_AS_OF: '2026-12-04' } })) as Payload;
const embed = payload.embeds[0]!;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// The markdown Discord renders in embeds, as far as our replies use it.
function markdown(text: string): string {
  return escape(text)
    .replace(/\\([\\*_~`|<>#:\-[\]()])/g, '$1')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a>$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/\*([^*]+)\*/g, '<i>$1</i>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<blockquote>${line.slice(5)}</blockquote>` : line))
    .join('<br>');
}

const colour = `#${(embed.color ?? 0x5865f2).toString(16).padStart(6, '0')}`;
const fields = (embed.fields ?? []).map((f) => `<div class="field${f.inline ? ' inline' : ''}"><div class="name">${markdown(f.name)}</div><div>${markdown(f.value)}</div></div>`).join('');
const buttons = payload.components.flatMap((row) => row.components).map((b) => `<span class="button">${escape(b.label ?? '')}${b.url ? ' ↗' : ''}</span>`).join('');
const html = `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; padding: 16px; background: #313338; font: 15px/1.35 "DejaVu Sans", sans-serif; color: #dbdee1; width: 560px; }
.bot { font-weight: bold; color: #f2f3f5; margin-bottom: 6px; } .tag { background: #5865f2; color: #fff; font-size: 10px; padding: 1px 4px; border-radius: 3px; margin-left: 4px; }
.embed { background: #2b2d31; border-left: 4px solid ${colour}; border-radius: 4px; padding: 10px 14px 12px; }
.title { font-weight: bold; color: #00a8fc; margin-bottom: 6px; } .fields { display: flex; flex-wrap: wrap; gap: 6px 14px; margin-top: 8px; }
.field { flex: 1 1 100%; } .field.inline { flex: 1 1 28%; } .name { font-weight: bold; color: #f2f3f5; font-size: 14px; }
.footer { font-size: 12px; color: #b5bac1; margin-top: 8px; } a { color: #00a8fc; } code { background: #1e1f22; padding: 0 3px; border-radius: 3px; }
blockquote { margin: 0; border-left: 3px solid #4e5058; padding-left: 8px; } .buttons { margin-top: 8px; display: flex; gap: 8px; flex-wrap: wrap; }
.button { background: #4e5058; color: #fff; border-radius: 3px; padding: 4px 12px; font-size: 14px; }
</style><div class="bot">paperbot<span class="tag">APP</span></div><div class="embed">
${embed.title ? `<div class="title">${markdown(embed.title)}</div>` : ''}${embed.description ? `<div>${markdown(embed.description)}</div>` : ''}
<div class="fields">${fields}</div>${embed.footer ? `<div class="footer">${escape(embed.footer.text)}</div>` : ''}</div><div class="buttons">${buttons}</div>`;

const browser = await chromium.launch({ executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 592, height: 200 }, deviceScaleFactor: 1 });
  await page.setContent(html);
  await page.screenshot({ path: OUT, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`Wrote ${path.relative(ROOT, OUT)}\n`);
