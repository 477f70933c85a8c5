/**
 * The import graph follows the layers: no cycles (type-only imports included), the core free of the bot,
 * commands and discord.js, the bot free of commands, the command list imported only by the composition
 * roots. The rules live in `.dependency-cruiser.cjs`; dependency-cruiser (a well-kept tool that resolves
 * imports like TypeScript does) checks them. The second test proves the rules bite on a seeded violation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type IConfiguration } from 'dependency-cruiser';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;

/** Runs the project's rules over `paths` (relative to `baseDir`); returns "rule: from → to" per violation. */
async function violations(paths: string[], baseDir: string): Promise<string[]> {
  const options: ICruiseOptions = {
    ...(config.options as ICruiseOptions),
    tsConfig: undefined,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  };
  const result = await cruise(paths, options);
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, expected JSON');
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${[v.from, ...(v.cycle?.map((c) => c.name) ?? [v.to])].join(' → ')}`);
}

describe('architecture', () => {
  it('has no import cycle and no layer importing upward', async () => {
    const found = await violations(['src', 'commands'], process.cwd());
    expect(found).toEqual([]);
  }, 60_000);

  // Inside the project (git-ignored var/), so `discord.js` resolves to node_modules like in src/.
  mkdirSync('var', { recursive: true });
  const fixture = mkdtempSync(join(process.cwd(), 'var', 'arch-fixture-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('the rules catch a cycle, the core importing the bot or discord.js, and the bot importing commands', async () => {
    const files: Record<string, string> = {
      'src/core/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/core/b.ts': "import type { a } from './a.ts';\nexport const b = 1 as unknown as typeof a;\n",
      'src/core/pure.ts': "import { render } from '../bot/render.ts';\nexport const pure = render;\n",
      'src/core/chatty.ts': "import { Client } from 'discord.js';\nexport const chatty = Client;\n",
      'src/core/tips/up.ts': "import type { Library } from '../library.ts';\nexport type Up = Library;\n",
      'src/core/library.ts': 'export interface Library { id: string }\n',
      'src/bot/render.ts': "import quote from '../../commands/quote.ts';\nexport const render = quote;\n",
      'commands/quote.ts': 'export default 1;\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    const found = await violations(['src', 'commands'], fixture);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no-circular: src\/core\/(a|b)\.ts/u),
        'core-stays-pure: src/core/pure.ts → src/bot/render.ts',
        expect.stringMatching(/^core-stays-pure: src\/core\/chatty\.ts → (\.\.\/)*node_modules\/discord\.js\//u),
        'core-library-is-the-top-of-core: src/core/tips/up.ts → src/core/library.ts',
        'bot-does-not-import-commands: src/bot/render.ts → commands/quote.ts',
      ]),
    );
  }, 60_000);
});
