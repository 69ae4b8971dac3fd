// NestJS 12 ships ESM only: @swc/jest turns it (and our TS) into CommonJS for Jest.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@apidevtools)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  // test/setup/generated/openapi-metadata.ts imports the sources as nodenext does ("./x.js")
  moduleNameMapper: { '^(\\.\\./\\.\\./\\.\\./src/.*)\\.js$': '$1' },
};
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    // the browser checkout kit's own tests (its pure parts; the DOM is tested in Chromium by the e2e suite)
    { ...common, displayName: 'checkout', testMatch: ['<rootDir>/checkout/test/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
    },
    // concurrency, locking and multi-replica behaviour: real PostgreSQL only (TEST_DATABASE_URL)
    {
      ...common,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/**/*.pg-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
    },
  ],
};
