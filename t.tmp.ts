import help from './commands/help.js';
import { contextFor, seedPage } from './test/cite/library.js';
const ctx = contextFor([await seedPage()]);
const inv = {userId:'1',guildId:null,channelId:null,permissions:null};
for (const c of ['', 'cite', 'announce', 'stats', 'search']) { const r = await help.execute({command:'help', options: c? {command:c}:{}, invoker:inv}, ctx); console.log(JSON.stringify(r.embeds, null, 1)); }
