// Acceptance tests run several Terraform commands each; a per-project
// testTimeout in jest.config.js is not applied by jest 30, so set it here.
jest.setTimeout(300_000);
