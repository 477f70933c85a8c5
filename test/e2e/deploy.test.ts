/** `npm run deploy`: one bulk PUT of every command definition, to a guild when DISCORD_GUILD_ID is set. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord.ts';
import { COMMANDS } from '../../commands/index.ts';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.stop();
});

function deploy(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'src/deploy.ts'], { env: { ...process.env, DISCORD_TOKEN: '', DISCORD_CLIENT_ID: '', DISCORD_GUILD_ID: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('deploy', () => {
  it('registers every command in one PUT to the development guild', async () => {
    const guildId = fake.guild!.id;
    const result = await deploy({ DISCORD_TOKEN: fake.token, DISCORD_CLIENT_ID: fake.applicationId, DISCORD_GUILD_ID: guildId, DISCORD_API_URL: fake.apiUrl });
    expect(result.code, result.stderr).toBe(0);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toBe(`/applications/${fake.applicationId}/guilds/${guildId}/commands`);
    expect((puts[0]!.body as Array<{ name: string }>).map((c) => c.name)).toEqual(COMMANDS.map((c) => c.data.name));
    expect(result.stdout).toContain(`Deployed ${COMMANDS.length} commands to server ${guildId}`);
    expect(result.stdout + result.stderr).not.toContain(fake.token);
  });

  it('explains what is missing without a token', async () => {
    const result = await deploy({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DISCORD_TOKEN: required to deploy commands');
  });
});
