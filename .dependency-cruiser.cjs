/**
 * The house's rules, held by a tool instead of by memory (issue 13). Imports run downwards only:
 * each layer below may be imported by the layers above it, never the other way round. Folders on
 * one line are peers and must not import each other. `npm test` runs this; a broken rule fails it.
 */
const LAYERS = [
  ['src/bin\\.ts$'],
  ['src/main\\.ts$'],
  ['src/commands/'],
  ['src/prompts/'],
  ['src/engine/'],
  ['src/report/'],
  ['src/checks/'],
  ['src/transforms/'],
  ['src/structural/'],
  ['src/regex/'],
  ['src/cli\\.ts$', 'src/scope/', 'src/process/'],
  ['src/plan/'],
  ['src/state/'],
  ['src/git/'],
  ['src/errors\\.ts$', 'src/version\\.ts$', 'src/words\\.ts$'],
];

const layerRules = LAYERS.flatMap((layer, rank) => layer.map((from) => ({
  from, above: [...LAYERS.slice(0, rank).flat(), ...layer.filter((peer) => peer !== from)],
}))).filter(({ above }) => above.length > 0).map(({ from, above }) => ({
  name: 'layers-run-downwards',
  comment: `${from} may import only layers below it (see LAYERS in .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path: `^${from}` },
  to: { path: above.map((path) => `^${path}`) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Files that import each other (even for a type) cannot be read, tested or moved one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'commands-ask-the-engine-not-git',
      comment: 'A command parses its options, calls one engine function and prints: git questions are engine (or git/) verbs.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/git/' },
    },
    {
      name: 'prompts-only-from-commands',
      comment: 'Only a command chooses guided mode; the engine asks through the Decisions interface (engine/decisions.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(commands|prompts)/' },
      to: { path: '^src/prompts/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
