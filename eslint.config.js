import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.kezek/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', globalThis: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'error',
    },
  },
  {
    // Production code never reaches into the sandbox: it plugs in through ports bound at the wiring points.
    // (The full layering rule is src/architecture.spec.ts.)
    files: ['src/**/*.ts'],
    ignores: ['src/sandbox/**', 'src/**/*.spec.ts', 'src/**/testing/**', 'src/app.module.ts', 'src/database/entities.ts', 'src/cli/program.ts', 'src/signing-rounds/trust-anchors.service.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/sandbox/*', '**/sandbox/**'], message: 'Production code reaches the sandbox only through a port bound in app.module.ts' }] }],
    },
  },
  {
    // Pure domain code stays free of the framework and the database (and of the sandbox).
    files: ['src/cms/**/*.ts', 'src/**/domain/**/*.ts', 'src/**/*.machine.ts'],
    ignores: ['src/sandbox/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'pg-boss', '**/sandbox/**'] }],
    },
  },
  {
    files: ['src/sandbox/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'pg-boss'] }],
    },
  },
);
