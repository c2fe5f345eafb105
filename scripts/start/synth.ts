// Synthesizes the example CDK for Terraform app in this process.

import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";

import { StartError } from "./terraform";

/** The stack of examples/app/main.ts. */
export const STACK_NAME = "platform";

export interface SynthesizedStack {
  /** Terraform's working directory, `<outdir>/stacks/<stack>`. */
  readonly stackDir: string;
  /** Names of the stack's outputs marked sensitive, in file order. */
  readonly sensitiveOutputs: string[];
  /** Schema of the pg backend, or undefined when the state is in a local file. */
  readonly pgSchema?: string;
}

/**
 * Builds the stack of examples/app into `outdir`, as `npx tsx
 * examples/app/main.ts` does with CDKTF_OUTDIR set. `env` selects the state
 * backend. Throws a StartError with the construct library's message when a
 * prop is invalid.
 */
export async function synthesizeExample(
  outdir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SynthesizedStack> {
  // cdktf's App creates outdir without its parents.
  await mkdir(outdir, { recursive: true });

  // Loaded here, not at the top, so that a failure in the app or the
  // construct library does not hide the earlier checks' messages.
  const { App } = await import("cdktf");
  const { PlatformStack } = await import("../../examples/app/platform-stack");
  try {
    const app = new App({ outdir });
    new PlatformStack(app, STACK_NAME, { env });
    app.synth();
  } catch (error) {
    // The construct library lists every invalid prop, one per line.
    throw new StartError(`synthesizing examples/app failed: ${String(error)}`);
  }

  const stackDir = path.join(outdir, "stacks", STACK_NAME);
  const config = JSON.parse(await readFile(path.join(stackDir, "cdk.tf.json"), "utf8")) as {
    output?: { [name: string]: { sensitive?: boolean } };
    terraform?: { backend?: { pg?: { schema_name?: string } } };
  };
  const sensitiveOutputs = Object.entries(config.output ?? {})
    .filter(([, output]) => output.sensitive === true)
    .map(([name]) => name);
  return { stackDir, sensitiveOutputs, pgSchema: config.terraform?.backend?.pg?.schema_name };
}
