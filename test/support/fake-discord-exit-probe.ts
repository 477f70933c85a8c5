/**
 * Child-process probe used by fake-discord.test.ts: runs a full login → interaction → destroy → stop cycle and
 * then simply returns. If the FakeDiscord or the discord.js Client leaves a ref'ed handle behind, this process
 * never exits on its own and the parent test times out. Prints one JSON line with diagnostics.
 *
 * Run: node --import tsx test/support/fake-discord-exit-probe.ts
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { FakeDiscord, noIdentifyThrottle, slashCommand } from './fake-discord.ts';

const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: fake.restOptions(), ws: noIdentifyThrottle });
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand()) {
    void interaction.reply({ content: 'bye', flags: MessageFlags.Ephemeral });
  }
});
const ready = once(client, Events.ClientReady);
await client.login(fake.token);
await ready;
const callback = await fake.sendInteraction(slashCommand('ping'));
// Let a couple of heartbeats happen so heartbeat timers are definitely armed before destroy.
await new Promise((resolve) => setTimeout(resolve, 600));
await client.destroy();
await fake.stop();
process.stdout.write(
  `${JSON.stringify({
    ok: callback.type === 4,
    heartbeats: fake.heartbeatsReceived,
    activeResources: process.getActiveResourcesInfo(),
  })}\n`,
);
