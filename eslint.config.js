// ESLint flat config. Rules are either `error` or `off`: a warning nobody acts on is noise.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const processEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read configuration through #config (src/config.ts is the only reader of process.env).',
};
const mathRandom = {
  selector: "MemberExpression[object.name='Math'][property.name='random']",
  message: 'Math.random is not for tokens or ids: use node:crypto (randomBytes, randomUUID, randomInt).',
};

// The `globals` package is not a dependency; these are the Node globals plain JS files use.
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'globalThis',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores(['node_modules/', 'data/', 'bench/results/', 'coverage/', '.tmp/']),
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // process.env is read in one place (src/config.ts); everything else receives a Config.
  // Tooling and tests (including tests next to the code, *.test.ts) may read it.
  {
    files: ['**/*.ts', '**/*.js'],
    ignores: ['src/config.ts', 'scripts/**', 'tests/**', 'bench/**', 'bin/**', '**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', processEnv] },
  },
  // Application code: no Math.random, tokens and ids come from node:crypto. A later
  // `no-restricted-syntax` replaces an earlier one rather than merging, so each block
  // under src/ lists every selector that applies to it.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', processEnv, mathRandom] },
  },
  {
    files: ['src/config.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', mathRandom] },
  },
  // Surfaces (the public site, the newsroom, the CLI) never touch the database directly: they
  // call services. Which folder may import which is checked by dependency-cruiser
  // (.dependency-cruiser.cjs), also part of `npm run lint`.
  {
    files: ['src/site/**/*.ts', 'src/newsroom/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'better-sqlite3', 'pg'].map((name) => ({
            name,
            message:
              'Surfaces call services (#articles, #settings, #db helpers), never the database driver or query builder.',
          })),
          patterns: [
            {
              group: ['kysely/*', 'pg/*', 'better-sqlite3/*'],
              message: 'Surfaces call services, never the database driver or query builder.',
            },
          ],
        },
      ],
    },
  },
  // Strips control characters from initials on purpose (the same pattern in
  // src/articles/service.ts carries an inline disable instead).
  {
    files: ['src/articles/demo/images.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  // A stale `eslint-disable` comment (the rule no longer fires there, or a formatter moved the
  // comment away from its line) is an error: it would otherwise switch the rule off silently.
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
);
