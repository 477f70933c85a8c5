/**
 * Import rules, checked by test/architecture.test.ts (and `npx depcruise src commands` by hand).
 * Layers, lowest first: src/core → src/bot → commands → composition roots (src/main.ts, src/deploy.ts).
 * Type-only imports count (`tsPreCompilationDeps`): a cycle through types is still a cycle to read.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stays-pure',
      severity: 'error',
      comment: 'The domain core imports neither the bot layer, nor commands, nor discord.js, nor the roots.',
      from: { path: '^src/core/' },
      to: { path: ['^src/bot/', '^commands/', '^src/main\\.ts$', '^src/deploy\\.ts$', '^src/cli/', '(^|/)node_modules/(discord\\.js|@discordjs/|discord-api-types)'] },
    },
    {
      name: 'core-library-is-the-top-of-core',
      severity: 'error',
      comment: 'src/core/library.ts assembles the core (corpus, search, tips); the parts it assembles do not import it.',
      from: { path: '^src/core/', pathNot: '^src/core/library\\.ts$' },
      to: { path: '^src/core/library\\.ts$' },
    },
    {
      name: 'bot-does-not-import-commands',
      severity: 'error',
      comment: 'The bot layer routes whatever commands the composition root hands it.',
      from: { path: '^src/bot/' },
      to: { path: ['^commands/', '^src/main\\.ts$', '^src/deploy\\.ts$', '^src/cli/'] },
    },
    {
      name: 'commands-do-not-import-roots',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: ['^src/main\\.ts$', '^src/deploy\\.ts$', '^src/cli/'] },
    },
    {
      name: 'command-list-only-in-roots',
      severity: 'error',
      comment: 'commands/index.ts (the list of every command) is imported only by the composition roots (and tests).',
      from: { path: '^(src|commands)/', pathNot: ['^src/main\\.ts$', '^src/deploy\\.ts$'] },
      to: { path: '^commands/index\\.ts$' },
    },
    {
      name: 'no-upward-from-shared',
      severity: 'error',
      comment: 'config.ts and logger.ts are shared leaves: they import no layer.',
      from: { path: '^src/(config|logger)\\.ts$' },
      to: { path: ['^src/(core|bot|cli)/', '^commands/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|scripts|node_modules)/' },
  },
};
