// The plan-summary command without the process around it: parses the
// arguments, reads the plan, writes the Markdown and returns the exit code.

import { parseArgs } from "node:util";

import { renderMarkdown } from "./markdown";
import { InvalidPlanError, parsePlan } from "./plan-json";
import { checkFailRules, FAIL_RULES, type FailRule } from "./rules";
import { summarizePlan } from "./summarize";

/** Exit codes of the command. */
export const EXIT_OK = 0;
export const EXIT_RULE_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: npm run plan-summary -- <plan.json | -> [options]

Reads the JSON of a saved Terraform plan (\`terraform show -json PLANFILE\`)
from a file, or from stdin when the argument is -, and writes a Markdown
summary of the changes to digicertone_service_user and
digicertone_service_user_role_binding resources to stdout, for a
pull-request comment. Sensitive values, such as tokens, are never shown.

Options:
  --fail-on-delete          exit 1 if the plan deletes or replaces a resource
  --fail-on-replace         exit 1 if the plan replaces a resource
  --fail-on-privilege-gain  exit 1 if the plan adds roles or accounts, creates
                            a service user or binding with roles, or enables
                            a disabled service user
  --help                    print this help and exit

Exit codes: 0 when the summary is written and no --fail-on rule matches;
1 when a rule matches (the summary is still written, and stderr names the
rule and the resources); 2 for invalid arguments or input (including a plan
that failed, which Terraform saves too), or any other error.

Example:
  terraform plan -out=tfplan
  terraform show -json tfplan | npm run --silent plan-summary -- - --fail-on-delete
`;

export interface CommandIo {
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  writeStdout(text: string): void;
  writeStderr(text: string): void;
}

class UsageError extends Error {}

interface Options {
  input: string;
  rules: Set<FailRule>;
}

function parseCommandLine(args: string[]): Options | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        "fail-on-delete": { type: "boolean" },
        "fail-on-replace": { type: "boolean" },
        "fail-on-privilege-gain": { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) return "help";

  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      `expected one plan file, or - for stdin, but got ${parsed.positionals.length} arguments.`,
    );
  }
  const rules = new Set<FailRule>(FAIL_RULES.filter((rule) => parsed.values[rule] === true));
  return { input: parsed.positionals[0], rules };
}

async function readInput(io: CommandIo, input: string): Promise<string> {
  if (input === "-") return io.readStdin();
  try {
    return await io.readFile(input);
  } catch (error) {
    throw new InvalidPlanError(`Failed to read ${input}: ${(error as Error).message}`);
  }
}

/** Runs the command and returns its exit code. */
export async function runPlanSummary(args: string[], io: CommandIo): Promise<number> {
  let options: Options | "help";
  try {
    options = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.writeStderr(`error: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (options === "help") {
    io.writeStdout(USAGE);
    return EXIT_OK;
  }

  let summary;
  try {
    summary = summarizePlan(parsePlan(await readInput(io, options.input)));
  } catch (error) {
    if (!(error instanceof InvalidPlanError)) throw error;
    io.writeStderr(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  io.writeStdout(renderMarkdown(summary));

  const failures = checkFailRules(summary, options.rules);
  for (const failure of failures) {
    io.writeStderr(`error: ${failure.message}\n`);
  }
  return failures.length > 0 ? EXIT_RULE_FAILED : EXIT_OK;
}
