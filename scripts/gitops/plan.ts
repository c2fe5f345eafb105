// `npm run gitops:plan -- <dir> [--fail-on-*]`: the plan step of the GitOps
// workflow in examples/gitops. See USAGE.

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { runPlanSummary } from "../../review/command";
import {
  CommandError,
  configurationDigests,
  EXIT_OK,
  EXIT_USAGE,
  PLAN_FILE,
  resolveDirectory,
  runMain,
  runTerraformOk,
  SOURCES_FILE,
  SUMMARY_FILE,
} from "./terraform";

export const USAGE = `Usage: npm run gitops:plan -- <dir> [options]

Runs terraform init and terraform plan in <dir>, and writes to <dir>:
  ${PLAN_FILE}               the saved plan, for npm run gitops:apply
  ${SOURCES_FILE}  SHA-256 digests of the configuration it was made from
  ${SUMMARY_FILE}             the plan-summary Markdown, for a pull-request comment

Options (those of npm run plan-summary):
  --fail-on-delete          exit 1 if the plan deletes or replaces a resource
  --fail-on-replace         exit 1 if the plan replaces a resource
  --fail-on-privilege-gain  exit 1 if the plan grants roles or accounts
  --help                    print this help and exit

Exit codes: 0 when the plan and summary are written and no --fail-on rule
matches; 1 when a rule matches (every file is still written) or a terraform
command fails; 2 for invalid arguments or an invalid plan.
`;

const FAIL_OPTIONS = ["fail-on-delete", "fail-on-replace", "fail-on-privilege-gain"] as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        "fail-on-delete": { type: "boolean" },
        "fail-on-replace": { type: "boolean" },
        "fail-on-privilege-gain": { type: "boolean" },
        help: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n\n${USAGE}`, EXIT_USAGE);
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    throw new CommandError(
      `expected one configuration directory, but got ${parsed.positionals.length} arguments.\n\n${USAGE}`,
      EXIT_USAGE,
    );
  }
  const dir = resolveDirectory(parsed.positionals[0]);
  const failOptions = FAIL_OPTIONS.filter((option) => parsed.values[option] === true).map(
    (option) => `--${option}`,
  );

  await runTerraformOk(dir, ["init", "-input=false", "-no-color"]);
  await runTerraformOk(dir, ["plan", "-input=false", "-no-color", `-out=${PLAN_FILE}`]);
  const digests = await configurationDigests(dir);
  await writeFile(path.join(dir, SOURCES_FILE), JSON.stringify(digests, null, 2) + "\n");
  const shown = await runTerraformOk(dir, ["show", "-json", PLAN_FILE], { captureStdout: true });

  let summary = "";
  const code = await runPlanSummary(["-", ...failOptions], {
    readFile: () => Promise.reject(new Error("plan-summary reads the plan from stdin here")),
    readStdin: () => Promise.resolve(shown.stdout),
    writeStdout: (text) => {
      summary += text;
    },
    writeStderr: (text) => process.stderr.write(text),
  });
  if (summary !== "") {
    await writeFile(path.join(dir, SUMMARY_FILE), summary);
  }

  process.stdout.write(
    `Wrote ${path.join(dir, PLAN_FILE)}, ${SOURCES_FILE} and ${SUMMARY_FILE}.\n`,
  );
  return code;
}

if (require.main === module) {
  runMain(() => main(process.argv.slice(2)));
}
