/**
 * The jest setup both packages share. Both are native ESM (Middy 7 and NestJS 12 ship ESM only), so
 * jest runs with --experimental-vm-modules (the root test script sets it); SWC strips the types and
 * keeps the legacy decorators and their metadata that class-validator and Nest read.
 */
export function esmTypeScriptProject(displayName) {
  return {
    displayName,
    testEnvironment: 'node',
    roots: ['<rootDir>/src', '<rootDir>/test'],
    testMatch: ['**/*.test.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2023',
            experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
          },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
  };
}
