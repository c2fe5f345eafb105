// Two tiers: fast unit tests of code in isolation, and acceptance tests that
// drive the real Terraform CLI against the emulator.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json" }];

module.exports = {
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
    },
    {
      displayName: "acceptance",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/acceptance/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/acceptance/setup.ts"],
    },
  ],
};
