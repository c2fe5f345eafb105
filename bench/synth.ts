// Synthesis of many service users with the construct library, in this
// process: a cdktf App with one TerraformStack, `users` resources, then
// app.synth(). Three variants, alternated in each repetition:
//
//   construct     ServiceUser (validation, logical id, sensitive output)
//   binding       the generated digicertone_service_user binding alone
//   data          cdktf's DataResource (terraform_data) with the same values

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, DataResource, TerraformStack } from "cdktf";
import { DigicertOneProvider, ServiceUser } from "../constructs/src";
import { ServiceUser as ServiceUserBinding } from "../constructs/src/generated/service-user";

export const SYNTH_VARIANTS = ["construct", "binding", "data"] as const;
export type SynthVariant = (typeof SYNTH_VARIANTS)[number];

export interface SynthSample {
  variant: SynthVariant;
  rep: number;
  /** Time to create the App, the stack and every resource, in milliseconds. */
  constructMs: number;
  /** Time of app.synth(), which writes cdk.tf.json, in milliseconds. */
  synthMs: number;
}

const ACCOUNT_ID = "510f00f0-90ee-4ee2-b52f-0152c01d18eb";

function userValues(index: number) {
  return {
    name: `bench user ${index}`,
    email: "bench@example.com",
    expirationDate: "2030-06-30",
    accountIds: [ACCOUNT_ID],
  };
}

function addResources(stack: TerraformStack, variant: SynthVariant, users: number): void {
  if (variant !== "data") new DigicertOneProvider(stack, "digicert-one", { region: "us" });

  for (let index = 0; index < users; index++) {
    const values = userValues(index);
    if (variant === "construct") {
      new ServiceUser(stack, `user-${index}`, {
        name: values.name,
        email: values.email,
        expiresOn: values.expirationDate,
        accounts: values.accountIds,
        access: { software_trust: ["SM_SIGNER"] },
      });
    } else if (variant === "binding") {
      new ServiceUserBinding(stack, `user-${index}`, {
        ...values,
        access: { software_trust: { roles: ["SM_SIGNER"] } },
      });
    } else {
      new DataResource(stack, `user-${index}`, {
        input: { ...values, access: { software_trust: { roles: ["SM_SIGNER"] } } },
      });
    }
  }
}

/** Synthesizes one app of `users` resources of `variant` into a temporary directory. */
export function timeSynth(variant: SynthVariant, users: number, rep: number): SynthSample {
  const outdir = mkdtempSync(path.join(tmpdir(), "digicertone-bench-synth-"));
  try {
    const started = performance.now();
    // cdktf 0.21.0 gives every DataResource a validation that runs
    // `terraform version` (ValidateTerraformVersion), about 45 ms each, so
    // validation is skipped for all variants alike. The ServiceUser
    // construct validates its props in its constructor, which still runs.
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, "bench");
    addResources(stack, variant, users);
    const constructed = performance.now();
    app.synth();
    const finished = performance.now();
    return { variant, rep, constructMs: constructed - started, synthMs: finished - constructed };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Runs `reps` repetitions of every variant, in an order that rotates per
 * repetition, after one untimed warm-up of each with 10 resources.
 */
export function benchmarkSynth(users: number, reps: number): SynthSample[] {
  for (const variant of SYNTH_VARIANTS) timeSynth(variant, 10, -1);

  const samples: SynthSample[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const shift = rep % SYNTH_VARIANTS.length;
    const order = [...SYNTH_VARIANTS.slice(shift), ...SYNTH_VARIANTS.slice(0, shift)];
    for (const variant of order) samples.push(timeSynth(variant, users, rep));
  }
  return samples;
}
