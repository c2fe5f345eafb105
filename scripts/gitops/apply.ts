// `npm run gitops:apply -- <dir>`: the apply step of the GitOps workflow in
// examples/gitops. It applies exactly the plan that gitops:plan saved and
// that was reviewed, never a fresh one. See USAGE.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  changedFiles,
  CommandError,
  configurationDigests,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  PLAN_FILE,
  resolveDirectory,
  runMain,
  runTerraform,
  runTerraformOk,
  SOURCES_FILE,
} from "./terraform";

export const USAGE = `Usage: npm run gitops:apply -- <dir>

Applies the saved plan <dir>/${PLAN_FILE} that npm run gitops:plan wrote, after
terraform init. It rejects the plan, and changes nothing, when:
  - <dir>/${PLAN_FILE} or <dir>/${SOURCES_FILE} is missing;
  - a configuration file (*.tf, *.tf.json, *.tfvars, *.tfvars.json) was
    added, removed or changed since the plan;
  - Terraform reports the plan stale, because the state changed since the
    plan was made, for example by an apply of another plan.

Exit codes: 0 when the plan is applied; 1 when the plan is rejected or the
apply fails; 2 for invalid arguments.
`;

/** Terraform's error summary for a saved plan made from an older state (Terraform 1.11). */
const STALE_PLAN_MESSAGE = "Saved plan is stale";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help")) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (argv.length !== 1 || argv[0].startsWith("-")) {
    throw new CommandError(
      `expected one configuration directory, but got: ${argv.join(" ") || "no arguments"}.\n\n${USAGE}`,
      EXIT_USAGE,
    );
  }
  const dir = resolveDirectory(argv[0]);
  const planPath = path.join(dir, PLAN_FILE);
  const sourcesPath = path.join(dir, SOURCES_FILE);
  const planAgain = `Run \`npm run gitops:plan -- ${argv[0]}\`, review the new plan, and apply that one.`;

  if (!existsSync(planPath)) {
    throw new CommandError(`saved plan ${planPath} not found. ${planAgain}`, EXIT_FAILED);
  }
  if (!existsSync(sourcesPath)) {
    throw new CommandError(
      `${sourcesPath} not found, so the plan cannot be checked against the configuration. ${planAgain}`,
      EXIT_FAILED,
    );
  }

  const planned = JSON.parse(await readFile(sourcesPath, "utf8")) as Record<string, string>;
  const changed = changedFiles(planned, await configurationDigests(dir));
  if (changed.length > 0) {
    throw new CommandError(
      `the saved plan is stale: ${changed.join(", ")} changed since the plan was made. ${planAgain}`,
      EXIT_FAILED,
    );
  }

  await runTerraformOk(dir, ["init", "-input=false", "-no-color"]);
  const applied = await runTerraform(dir, ["apply", "-input=false", "-no-color", PLAN_FILE]);
  if (applied.code !== 0) {
    if (applied.stderr.includes(STALE_PLAN_MESSAGE)) {
      throw new CommandError(
        `the saved plan is stale: the Terraform state changed since the plan was made, so nothing was applied. ${planAgain}`,
        EXIT_FAILED,
      );
    }
    throw new CommandError(
      `terraform apply ${PLAN_FILE} failed with exit code ${applied.code} in ${dir}.`,
      EXIT_FAILED,
    );
  }
  process.stdout.write(`Applied ${planPath}.\n`);
  return EXIT_OK;
}

if (require.main === module) {
  runMain(() => main(process.argv.slice(2)));
}
