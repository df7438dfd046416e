import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.prof/**', '**/node_modules/**', '**/coverage/**', '.data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The pure core: no I/O, no AWS SDK, no adapters.
    files: ['*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'better-sqlite3', 'node:fs', 'node:fs/*', 'fs', 'node:http', 'node:net'], message: 'The domain core does no I/O.' },
            { group: ['**/adapters/**', '**/handler/**', '**/services/**', '**/local/**'], message: 'The domain core depends on nothing outside it.' },
          ],
        },
      ],
    },
  },
  {
    // Nest resolves constructor dependencies from emitted decorator metadata: injected classes must be
    // value imports, which the type-import rule understands once told decorators emit metadata.
    files: ['eks-analytics/**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    // A Nest module is a decorated class without members.
    rules: { '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }] },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
