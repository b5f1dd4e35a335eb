// The layer rules of STYLE.md and docs/ARCHITECTURE.md, checked on every `npm run lint`.
// Layers, lowest first: lib → db → jobs, mail, http → features → surfaces → composition root.
// Type-only imports are erased at run time, so they may cross a layer for a type's sake but
// still count for the "no deep imports" rule (a feature's face is its index.ts).
const features = 'accounts|articles|newsletter|settings|support|throttle';
const surfaces = 'site|newsroom|cli';
const infrastructure = 'lib|db|jobs|mail|http';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycles',
      comment:
        'A module cycle works only while nothing in it is used at load time; break it by moving the shared piece down.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'infrastructure-never-imports-features-or-surfaces',
      comment: `${infrastructure} sit below the features: the composition root (src/app.ts) wires features into them.`,
      severity: 'error',
      from: { path: `^src/(${infrastructure})/`, pathNot: '\\.test\\.ts$' },
      to: { path: `^src/(${features}|${surfaces})/|^src/(app|server)\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-is-the-bottom',
      comment: 'src/lib holds small pure helpers; it imports nothing else from src.',
      severity: 'error',
      from: { path: '^src/lib/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'features-never-import-surfaces',
      comment: 'A service does not know who called it: features never import site/, newsroom/, cli/ or the app.',
      severity: 'error',
      from: { path: `^src/(${features})/`, pathNot: '\\.test\\.ts$' },
      to: { path: `^src/(${surfaces})/|^src/(app|server)\\.ts$` },
    },
    {
      name: 'surfaces-never-import-each-other',
      comment:
        'The public site, the newsroom and the CLI share code through features or src/lib, not through each other.',
      severity: 'error',
      from: { path: '^src/(site|newsroom)/', pathNot: '\\.test\\.ts$' },
      to: { path: `^src/(${surfaces})/`, pathNot: '^src/$1/' },
    },
    {
      name: 'no-deep-imports-into-a-feature',
      comment:
        "Another folder's feature is reached through its index.ts (the #alias), never through its inner files. Tests may reach in.",
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: `^src/(${features}|jobs|mail|db|http)/`,
        pathNot: [
          '^src/$1/',
          `^src/(${features}|jobs|mail|db|http)/index\\.ts$`,
          '^src/newsletter/editions/index\\.ts$',
        ],
      },
    },
    {
      name: 'no-deep-imports-from-the-root',
      comment: 'The composition root and the server use features through their index.ts too.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$', pathNot: '\\.test\\.ts$' },
      to: {
        path: `^src/(${features}|jobs|mail|db|http|site|newsroom)/`,
        pathNot: [
          `^src/(${features}|jobs|mail|db|http|site|newsroom)/index\\.ts$`,
          '^src/newsletter/editions/index\\.ts$',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|coverage|\\.tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['import', 'node', 'default'] },
    combinedDependencies: false,
  },
};
