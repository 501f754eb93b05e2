/** `npm run register`: PUTs every command's definition to Discord, to DISCORD_GUILD_ID's server (instant) or globally. */
import { REST, Routes, type RESTGetCurrentApplicationResult, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { readConfigOrExit } from '../config.js';
import { assertTokenShape, explainDiscordFailure } from '../discord/failures.js';
import { loadCommands } from '../discord/registry.js';

// The application id a bot token carries in its first segment (base64 of the bot's user id), or null.
function clientIdFromToken(token: string): string | null {
  // Buffer.from skips what is not base64 rather than throwing.
  const decoded = Buffer.from(token.split('.')[0] ?? '', 'base64').toString('utf8');
  return /^\d{5,20}$/.test(decoded) ? decoded : null;
}

const config = readConfigOrExit();
const token = config.discordToken;
const knownClientId = config.discordClientId ?? (token ? clientIdFromToken(token) : null);
try {
  if (!token) throw new Error('register: DISCORD_TOKEN is required');
  assertTokenShape(token);
  const commands = await loadCommands();
  const body = [...commands.values()].map((command) => command.data);
  const rest = new REST({ api: config.discordApiUrl }).setToken(token);
  const clientId = knownClientId ?? ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
  const route = config.discordGuildId ? Routes.applicationGuildCommands(clientId, config.discordGuildId) : Routes.applicationCommands(clientId);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  const names = registered.map((command) => `/${command.name}`).join(', ');
  const where = config.discordGuildId ? `to server ${config.discordGuildId} (available now)` : 'globally (they can take up to an hour to appear everywhere)';
  process.stdout.write(`Registered ${registered.length} commands for application ${clientId} ${where}:\n  ${names}\n`);
} catch (error) {
  const context = { apiUrl: config.discordApiUrl, clientId: knownClientId, guildId: config.discordGuildId };
  process.stderr.write(`register: failed: ${explainDiscordFailure(error, context).explanation}\n`);
  process.exitCode = 1;
}
