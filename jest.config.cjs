// Unit tests of the Lightning web components (force-app/**/lwc/**/__tests__), with the Salesforce preset:
// lightning-base-components stubs, @salesforce/apex mocks, jsdom. Run by `npm run test:lwc`.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.cjs'],
  // Test files end in .test.js; other modules of __tests__ are shared setup (e.g. quoteLineEditor/__tests__/editorTestSetup.js).
  testMatch: ['**/__tests__/**/*.test.js'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Accessibility scans take seconds on a busy shared machine: a slow scan is not a failure (5 s by default).
  testTimeout: 30000,
};
