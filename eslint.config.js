import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The pure core does no I/O: no Node I/O modules, no adapters, no connectors, no BullMQ/Redis.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**', '**/pipeline/**', '**/api/**', '**/roles/**', '../../connectors/**', '**/connectors/**'], message: 'the core imports no adapter, stage or connector' },
            { group: ['bullmq', 'ioredis', 'fastify', 'undici', '@elastic/*', 'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process', 'pino'], message: 'the core does no I/O' },
          ],
        },
      ],
    },
  },
  {
    // Only the entry point and the config module see the environment.
    files: ['src/**/*.ts', 'connectors/**/*.ts'],
    ignores: ['src/main.ts', 'src/cli/search-setup.ts', 'src/cli/classify.ts', 'src/cli/route.ts', 'src/cli/routes-check.ts', 'src/cli/gazetteer-import.ts', 'src/cli/labels-export.ts', 'src/cli/telegram-login.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'config is parsed once in src/config and passed in' }] },
  },
  {
    // vitest's asymmetric matchers (expect.objectContaining...) are typed any.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // The import-direction rules (.dependency-cruiser.cjs) are CommonJS, as dependency-cruiser reads them.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly' } } },
  {
    // The console runs in browsers.
    files: ['console/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly', document: 'readonly', location: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', URL: 'readonly', Blob: 'readonly',
        Intl: 'readonly', history: 'readonly', dispatchEvent: 'readonly', CustomEvent: 'readonly', HTMLElement: 'readonly', addEventListener: 'readonly', removeEventListener: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
      },
    },
  },
);
