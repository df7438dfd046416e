/** Root jest config: one project per workspace package, so `npm test` runs every test. */
export default {
  projects: ['<rootDir>/lambda-order-processor', '<rootDir>/eks-analytics'],
  // A global option: jest ignores testTimeout inside a project's config. Suites that start servers,
  // DynamoDB Local or Chromium need more than the 5 s default on a busy 2-core machine.
  testTimeout: 30000,
};
