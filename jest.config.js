// ESM TypeScript under jest: ts-jest's ESM preset, run with --experimental-vm-modules (see scripts/test.sh).
// Type checking is `npm run typecheck`'s job; here ts-jest only transpiles, which keeps a 2-core run fast.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    { useESM: true, tsconfig: { isolatedModules: true, verbatimModuleSyntax: false } },
  ],
};
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // Real Docker, registry and ECS stand-in: slower than units by nature (60 s per test; a project's own
      // `testTimeout` is ignored by jest, hence the setup file).
      setupFilesAfterEnv: ['<rootDir>/test/helpers/integration-timeout.ts'],
    },
  ],
};
