// Runs `npm run bench` at its smallest size, so that CI proves the
// benchmark still works. The numbers themselves are not checked: this
// machine may be busy, and BENCHMARKS.md records a real run.

import { formatReport } from "../../bench/report";
import { parseOptions, runBenchmarks } from "../../bench/run";
import { MODES } from "../../bench/workload";
import { requireBuiltProvider, requireTerraform } from "./harness";

beforeAll(() => {
  requireTerraform();
  requireBuiltProvider();
});

test("bench options parse sizes and repetitions", () => {
  const options = parseOptions(["--sizes", "1, 100", "--reps", "2"]);

  expect(options.sizes).toEqual([1, 100]);
  expect(options.reps).toBe(2);
  expect(options.handshakeRuns).toBe(30);
  expect(options.synthUsers).toBe(1000);
});

test("bench options reject an invalid size", () => {
  expect(() => parseOptions(["--sizes", "1,x"])).toThrow('invalid --sizes entry "x": expected a whole number of 1 or more');
});

test("bench runs at one user and one repetition", async () => {
  const results = await runBenchmarks({ sizes: [1], reps: 1, handshakeRuns: 1, synthUsers: 10 });

  expect(results.handshake?.providerMs).toHaveLength(1);
  expect(results.synth?.samples).toHaveLength(3);
  const samples = results.workload?.samples ?? [];
  expect(samples.map((sample) => sample.mode).sort()).toEqual([...MODES].sort());
  for (const sample of samples.filter((each) => each.mode !== "terraform_data")) {
    expect(sample.plan.requests?.counts).toEqual({ "GET /account/api/v1/user/{id}": 1 });
    expect(sample.apply.requests?.counts["POST /account/api/v1/user"]).toBe(1);
  }
  expect(samples.find((sample) => sample.mode === "managed")?.plan.providerPeakBytes).toBeGreaterThan(0);
  expect(results.workload?.longLivedPeakBytes[1]).toBeGreaterThan(0);

  const report = formatReport(results);
  expect(report).toContain("| 1 | plan |");
  expect(report).toContain("| 1-user apply, long-lived ≤ 1.3× terraform_data |");
  expect(report).toContain("| exactly 1 API request per user per refresh | 1.000 in all 2 plans | met |");
}, 120_000);
