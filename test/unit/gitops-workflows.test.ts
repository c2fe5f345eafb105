// The example GitHub Actions workflows in examples/gitops/workflows call only
// commands that this package defines, so that the tested npm scripts are
// what CI runs.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PLAN_FILE, SOURCES_FILE, SUMMARY_FILE } from "../../scripts/gitops/terraform";

// NOTE: js-yaml is not a declared dependency: jest's coverage tooling
// installs it (3.x). Declare it in package.json if jest stops doing so.
const yaml = require("js-yaml") as { load(text: string): unknown };

const root = path.resolve(__dirname, "..", "..");
const workflowDir = path.join(root, "examples", "gitops", "workflows");

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[] }>;
}

const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }).scripts,
);

const workflowFiles = readdirSync(workflowDir)
  .filter((name) => name.endsWith(".yml"))
  .sort();

function loadWorkflow(name: string): Workflow {
  return yaml.load(readFileSync(path.join(workflowDir, name), "utf8")) as Workflow;
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/**
 * Returns the problem with one shell command of a run step, or undefined
 * when it is `npm ci` or `npm run <script>` with a script of package.json.
 */
function commandProblem(command: string): string | undefined {
  if (command === "npm ci") return undefined;
  const match = /^npm run (?:--silent )?([\w:-]+)(?: |$)/.exec(command);
  if (match === null) return `"${command}" is not npm ci or npm run <script>`;
  if (!scripts.includes(match[1])) {
    return `"${command}" runs ${match[1]}, which package.json scripts does not define`;
  }
  return undefined;
}

describe("gitops workflows", () => {
  test("both workflows exist", () => {
    expect(workflowFiles).toEqual(["digicertone-apply.yml", "digicertone-plan.yml"]);
  });

  test.each(workflowFiles)("%s runs only package scripts", (name) => {
    const workflow = loadWorkflow(name);
    const runSteps = steps(workflow).filter((step) => step.run !== undefined);
    expect(runSteps.length).toBeGreaterThan(0);

    const problems: string[] = [];
    for (const step of runSteps) {
      const commands = (step.run as string)
        .split(/\n|&&/)
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"));
      for (const command of commands) {
        const problem = commandProblem(command);
        if (problem !== undefined) problems.push(`step "${step.name ?? command}": ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("plan workflow saves gitops:plan files", () => {
    const workflow = loadWorkflow("digicertone-plan.yml");
    const planStep = steps(workflow).find((step) => step.run?.includes("gitops:plan"));
    expect(planStep?.run).toContain("npm run gitops:plan -- infra");

    const upload = steps(workflow).find((step) => step.uses?.startsWith("actions/upload-artifact"));
    const uploaded = String(upload?.with?.path ?? "");
    for (const file of [PLAN_FILE, SOURCES_FILE, SUMMARY_FILE]) {
      expect(uploaded).toContain(`infra/${file}`);
    }
  });

  test("plan workflow comments the summary", () => {
    const workflow = loadWorkflow("digicertone-plan.yml");
    const comment = steps(workflow).find((step) => step.uses?.startsWith("actions/github-script"));
    expect(String(comment?.with?.script ?? "")).toContain(`infra/${SUMMARY_FILE}`);
  });

  test("apply workflow applies the saved plan", () => {
    const workflow = loadWorkflow("digicertone-apply.yml");
    const all = steps(workflow);
    const download = all.findIndex((step) => step.uses?.startsWith("actions/download-artifact"));
    const apply = all.findIndex((step) => step.run === "npm run gitops:apply -- infra");
    expect(download).toBeGreaterThanOrEqual(0);
    expect(apply).toBeGreaterThan(download);
    expect(all.some((step) => step.run?.includes("gitops:plan"))).toBe(false);
  });
});
