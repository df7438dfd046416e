/** Root jest config: one project per workspace package, so `npm test` runs every test. */
export default {
  projects: ['<rootDir>/lambda-order-processor', '<rootDir>/eks-analytics'],
};
