// The reliability suite (`npm run test:reliability`): test/reliability/*.rel-spec.ts on real PostgreSQL
// (TEST_DATABASE_URL, default the machine's server), one file at a time in name order (the card-data
// scan runs last, over what the others left), with the same SWC transform as jest.config.js.
const { projects } = require('./jest.config.js');

const { transform, transformIgnorePatterns, moduleFileExtensions, moduleNameMapper, testEnvironment } = projects[0];

module.exports = {
  rootDir: __dirname,
  transform,
  transformIgnorePatterns,
  moduleFileExtensions,
  moduleNameMapper,
  testEnvironment,
  testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'],
  testSequencer: '<rootDir>/test/reliability/setup/sequencer.js',
  globalSetup: '<rootDir>/test/reliability/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/reliability/setup/global-teardown.ts',
  maxWorkers: 1,
  // whole flows against a sandbox with injected timeouts, child processes killed and restarted
  testTimeout: 180000,
};
