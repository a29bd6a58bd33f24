// ESLint flat config: typescript-eslint's type-aware recommended rules for the TypeScript sources.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import lwcConfig from '@salesforce/eslint-config-lwc';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'plugin/lib/**',
      'force-app/**/cpqEngine/**',
      'force-app/**/staticresources/**',
      'coverage/**',
      'artifacts/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['force-app/**', 'plugin/src/preview/portal/**', 'test/bench/ui/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  // Lightning web components: the Salesforce LWC rules (decorators, platform restrictions, jest tests);
  // also for the local portal shell and its platform shims (browser modules, docs/PORTAL.md).
  ...lwcConfig.configs.recommended.map((config) => ({
    ...config,
    files: ['force-app/**/lwc/**/*.js', 'plugin/src/preview/portal/**/*.js', 'test/bench/ui/**/*.js'],
  })),
);
