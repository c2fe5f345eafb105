// A platform team's CDK for Terraform app with one stack, "platform".
// `npx tsx examples/app/main.ts`, which `cdktf synth` runs through
// cdktf.json, writes cdktf.out/stacks/platform/cdk.tf.json, or writes
// under $CDKTF_OUTDIR when that is set.

import { App } from "cdktf";

import { PlatformStack } from "./platform-stack";

const app = new App();
new PlatformStack(app, "platform");
app.synth();
