// The main job, `npm start`: builds the provider, starts the local DigiCert
// ONE emulator (or targets the tenant that DIGICERT_ONE_URL names),
// synthesizes the example app in examples/app, and applies it with Terraform
// through a saved plan. It prints one progress line per step and never
// prints the API key or a token.
//
// Exit codes: 0 on success, 1 when a step fails, 2 for an invalid option,
// 130 after Ctrl-C.

import { rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";

import { buildProvider } from "./build-provider";
import type { RunningEmulator } from "../emulator/src/server";
import { startLocalEmulator } from "./start/emulator";
import { displayPath, shellQuote } from "./start/format";
import {
  ACCOUNT_NAMES_ENV,
  API_KEY_ENV,
  parseStartOptions,
  StartOptions,
  URL_ENV,
  USAGE,
  UsageError,
  workLayout,
} from "./start/options";
import { STACK_NAME, synthesizeExample } from "./start/synth";
import { checkTerraform, runTerraform, StartError, TerraformOptions } from "./start/terraform";

const ROOT = path.resolve(__dirname, "..");
const CLI_CONFIG_FILE = path.join(ROOT, "build", "terraformrc");
const STEP_COUNT = 9;

/** Terraform's exit code for `plan -detailed-exitcode` when the plan has changes. */
const PLAN_HAS_CHANGES = 2;

class InterruptedError extends Error {}

let interrupted = false;
let stepNumber = 0;

function step(description: string): void {
  if (interrupted) {
    throw new InterruptedError();
  }
  stepNumber += 1;
  process.stdout.write(`[${stepNumber}/${STEP_COUNT}] ${description}\n`);
}

/**
 * Lets the running terraform command stop on Ctrl-C (the terminal sends the
 * signal to it too) and stops the job before its next step. A second
 * signal exits at once.
 */
function stopOnSignals(): void {
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write("Stopping after the current step. Press Ctrl-C again to exit at once.\n");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** Builds the environment of every terraform command. */
function terraformEnvironment(
  options: StartOptions,
  emulator: RunningEmulator | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: CLI_CONFIG_FILE,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
  };
  if (options.target.kind === "emulator" && emulator !== undefined) {
    env[URL_ENV] = emulator.url;
    env[API_KEY_ENV] = emulator.adminApiKey;
    // A tenant's account names or key left in the shell would fail against
    // the emulator, whose seeded accounts are the variable's default.
    delete env[ACCOUNT_NAMES_ENV];
    delete env.TF_VAR_digicert_one_api_key;
  }
  return env;
}

/** Asks before a tenant's service users change, unless --auto-approve is set. */
async function confirmTenantApply(options: StartOptions): Promise<void> {
  if (options.target.kind !== "tenant" || options.autoApprove) return;

  const url = options.target.url;
  if (!process.stdin.isTTY) {
    throw new StartError(
      `the plan above changes service users at ${url}, and there is no terminal to confirm it. Review the plan, then run npm start -- --auto-approve.`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`Apply this plan to ${url}? Only "yes" applies it: `);
  prompt.close();
  if (answer.trim() !== "yes") {
    throw new StartError("apply cancelled, nothing was changed.");
  }
}

async function run(options: StartOptions): Promise<void> {
  const started = performance.now();
  const layout = workLayout(options.workDir, options.target, STACK_NAME);

  step("Checking that terraform 1.11 or later is on the PATH");
  await checkTerraform({ ...process.env, TF_CLI_CONFIG_FILE: CLI_CONFIG_FILE, CHECKPOINT_DISABLE: "1" });

  step(`Building the provider into ${displayPath(path.join(ROOT, "build", "mirror"))}`);
  await buildProvider();

  let emulator: RunningEmulator | undefined;
  if (options.target.kind === "emulator") {
    step(`Starting the local DigiCert ONE on 127.0.0.1 (data in ${displayPath(layout.emulatorDataDir)})`);
    emulator = await startLocalEmulator(layout.emulatorDataDir, options.target.port);
  } else {
    step(`Using the DigiCert ONE tenant at ${options.target.url}, no emulator`);
  }

  try {
    await applyExample(options, layout, emulator);
  } finally {
    await emulator?.close();
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Done in ${seconds} s.\n`);
}

/**
 * Returns the environment that the example app is synthesized with. With
 * PG_CONN_STR set, a run against the emulator keeps its state in the schema
 * `<schema>_emulator`, so that it never reads or overwrites a tenant's
 * state, just as the two targets' local state files are kept apart.
 */
async function synthEnvironment(options: StartOptions): Promise<NodeJS.ProcessEnv> {
  const { PG_CONN_STR_ENV, PG_SCHEMA_ENV, defaultPgSchema } = await import(
    "../examples/app/backend"
  );
  const env = process.env;
  if (options.target.kind !== "emulator" || (env[PG_CONN_STR_ENV] ?? "") === "") {
    return env;
  }
  const schema = env[PG_SCHEMA_ENV] || defaultPgSchema(STACK_NAME);
  return { ...env, [PG_SCHEMA_ENV]: `${schema}_emulator` };
}

async function applyExample(
  options: StartOptions,
  layout: ReturnType<typeof workLayout>,
  emulator: RunningEmulator | undefined,
): Promise<void> {
  step(`Synthesizing examples/app into ${displayPath(layout.outdir)}`);
  const synthEnv = await synthEnvironment(options);
  const stack = await synthesizeExample(layout.outdir, synthEnv);
  if (stack.pgSchema !== undefined) {
    process.stdout.write(
      `The state is in PostgreSQL (PG_CONN_STR), schema ${stack.pgSchema}, not in a local file.\n`,
    );
  }

  const apiKey = emulator?.adminApiKey ?? (options.target.kind === "tenant" ? options.target.apiKey : "");
  const terraform: TerraformOptions = {
    cwd: stack.stackDir,
    env: terraformEnvironment(options, emulator),
    secrets: [apiKey],
    noColor: !process.stdout.isTTY,
  };
  const planName = path.basename(layout.planFile);

  step(`Running terraform init in ${displayPath(stack.stackDir)}`);
  await mustSucceed(["init", "-input=false"], terraform);

  step(`Running terraform plan -out=${planName}`);
  const plan = await runTerraform(
    ["plan", "-input=false", "-detailed-exitcode", `-out=${planName}`],
    terraform,
    "capture",
  );
  if (plan.code !== 0 && plan.code !== PLAN_HAS_CHANGES) {
    process.stderr.write(plan.output);
    throw new StartError(`terraform plan exited with ${plan.code}. Its output is above.`);
  }

  // The saved plan contains the prior state, tokens included, so it is
  // deleted once applied or skipped.
  try {
    step(`Showing the plan: terraform show ${planName}`);
    await mustSucceed(["show", planName], terraform, "stream");

    if (plan.code === PLAN_HAS_CHANGES) {
      step(`Applying the saved plan: terraform apply ${planName}`);
      await confirmTenantApply(options);
      await mustSucceed(["apply", "-input=false", planName], terraform, "stream");
    } else {
      step("Skipping terraform apply: the plan has no changes");
    }
  } finally {
    await rm(layout.planFile, { force: true });
  }

  step("Reading the outputs: terraform output");
  await mustSucceed(["output"], terraform, "stream");
  printRevealCommands(stack.stackDir, stack.sensitiveOutputs);
  if (emulator !== undefined) {
    process.stdout.write(
      `The tokens work while the emulator runs with the same data: npm run emulator -- --data-dir ${shellQuote(displayPath(layout.emulatorDataDir))}\n`,
    );
  }
}

async function mustSucceed(
  args: string[],
  terraform: TerraformOptions,
  mode: "stream" | "capture" = "capture",
): Promise<void> {
  const result = await runTerraform(args, terraform, mode);
  if (result.code === 0) return;
  if (mode === "capture") process.stderr.write(result.output);
  throw new StartError(`terraform ${args[0]} exited with ${result.code}. Its output is above.`);
}

function printRevealCommands(stackDir: string, outputNames: string[]): void {
  if (outputNames.length === 0) return;
  const prefix =
    `TF_CLI_CONFIG_FILE=${shellQuote(displayPath(CLI_CONFIG_FILE))} ` +
    `terraform -chdir=${shellQuote(displayPath(stackDir))} output -raw`;
  const lines = outputNames.map((name) => `  ${prefix} ${name}\n`);
  process.stdout.write(`Tokens are not printed. Each of these commands prints one:\n${lines.join("")}`);
}

async function main(): Promise<number> {
  let options: StartOptions | "help";
  try {
    options = parseStartOptions(process.argv.slice(2), process.env, ROOT);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message} Run npm start -- --help for the options.\n`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return 0;
  }

  stopOnSignals();
  try {
    await run(options);
    return 0;
  } catch (error) {
    if (error instanceof InterruptedError) {
      process.stderr.write("error: interrupted, stopped before the next step.\n");
      return 130;
    }
    if (error instanceof StartError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: step ${stepNumber} failed: ${String(error)}\n`);
    if (error instanceof Error && error.stack !== undefined) {
      process.stderr.write(`${error.stack}\n`);
    }
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${String(error)}\n`);
    process.exit(1);
  },
);
