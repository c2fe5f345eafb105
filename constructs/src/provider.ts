// The DigicertOneProvider construct: the digicertone provider configuration,
// with an API key that never appears in the synthesized JSON.

import { TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import {
  DEFAULT_EXPIRY_WARNING_DAYS,
  MAX_EXPIRY_WARNING_DAYS,
} from "../../provider/src/provider-settings";
import { joinWithAnd, quote } from "../../provider/src/validation/diagnostics";
import { redactUrl, serviceUrlProblem } from "../../provider/src/validation/url";
import { DigicertoneProvider } from "./generated/provider";
import { policySchema, toProviderPolicy, type DigicertOnePolicy } from "./policy";
import {
  addProblem,
  formatValue,
  isToken,
  propsTypeError,
  terraformIdentifier,
  typeError,
  validateProps,
  wholeNumber,
} from "./validation";

/** The Terraform variable that supplies the API key when `apiKey` is not set. */
export const API_KEY_VARIABLE = "digicert_one_api_key";

/** The environment variable that the provider reads when its api_key is null. */
const API_KEY_ENV = "DIGICERT_ONE_API_KEY";

const REGIONS = ["us", "jp", "ch", "nl"] as const;

/** Props of a DigicertOneProvider. */
export interface DigicertOneProviderProps {
  /**
   * Base URL of DigiCert ONE: a scheme, host and optional port, such as
   * `https://one.digicert.com`. Plain http is allowed only for loopback
   * hosts (localhost, 127.0.0.0/8 and [::1]), such as a local emulator.
   * Conflicts with `region` and `demo: true`.
   *
   * @default - the host that `region` and `demo` select when either is
   * set; otherwise the DIGICERT_ONE_URL environment variable at plan time,
   * or else `https://one.digicert.com`
   */
  readonly url?: string;

  /**
   * DigiCert ONE region whose host the provider uses: `us`
   * (one.digicert.com), `jp` (one.digicert.co.jp), `ch`
   * (one.ch.digicert.com) or `nl` (one.nl.digicert.com). Conflicts with
   * `url`.
   *
   * @default - `us`, unless `url` or DIGICERT_ONE_URL gives a URL
   */
  readonly region?: "us" | "jp" | "ch" | "nl";

  /**
   * Whether to use the region's demo host, such as
   * `demo.one.digicert.com`, instead of production. `demo: true` conflicts
   * with `url`.
   *
   * @default false
   */
  readonly demo?: boolean;

  /**
   * API key of a DigiCert ONE user whose role has the Manage users
   * permission, as an unresolved token such as a sensitive
   * TerraformVariable's `stringValue`. A literal string is rejected at
   * construction, because cdktf would write it to cdk.tf.json in plain text.
   *
   * @default - a sensitive, nullable string variable `digicert_one_api_key`
   * with a null default, shared by the stack's DigicertOneProviders: set
   * TF_VAR_digicert_one_api_key, or leave it unset and the provider reads
   * DIGICERT_ONE_API_KEY at plan time
   */
  readonly apiKey?: string;

  /**
   * Alias of this provider configuration, a Terraform identifier. A stack
   * with more than one configuration aliases the extra ones and passes
   * their `provider` property to the ServiceUsers that use them.
   *
   * @default - the stack's default digicertone provider
   */
  readonly alias?: string;

  /**
   * Days before a service user's expiration date from which plans warn
   * that it expires soon, counted from the current UTC day: a whole number
   * from 0 to 3650, where 0 turns the warning off. Plans warn about a
   * service user that has already expired whatever this value.
   *
   * @default 30
   */
  readonly expiryWarningDays?: number;

  /**
   * Rules that plans of service users and role bindings must follow,
   * checked by the provider at plan time, each with the severity "error"
   * (fails the plan) or "warning". A value already in state that a plan
   * keeps only warns.
   *
   * @default - no policy
   */
  readonly policy?: DigicertOnePolicy;
}

/**
 * The digicertone provider configuration of a stack. The API key comes from
 * a token or from the environment at plan time, so the synthesized JSON
 * never contains it.
 */
export class DigicertOneProvider extends Construct {
  /** The generated provider construct. */
  readonly provider: DigicertoneProvider;

  /**
   * The sensitive `digicert_one_api_key` variable that supplies the API
   * key, when `apiKey` is not set; undefined otherwise.
   */
  readonly apiKeyVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: DigicertOneProviderProps = {}) {
    super(scope, id);

    const stack = TerraformStack.of(this);
    // Props of the wrong type, such as null from JavaScript, are reported by
    // validateProps below.
    const apiKeyGiven = typeof props === "object" && props !== null && props.apiKey !== undefined;
    const existingVariable = apiKeyGiven ? undefined : findApiKeyVariable(stack);
    validateProps(this, providerPropsSchema(existingVariable), props, {
      constructName: "DigicertOneProvider",
      secretProps: ["apiKey"],
      propSuggestions: { api_key: "apiKey", expiry_warning_days: "expiryWarningDays" },
      formatReceived: { url: (value) => formatValue(typeof value === "string" ? redactUrl(value) : value) },
    });

    let apiKey = props.apiKey;
    if (apiKey === undefined) {
      this.apiKeyVariable = existingVariable ?? createApiKeyVariable(this);
      apiKey = this.apiKeyVariable.stringValue;
    }

    this.provider = new DigicertoneProvider(this, "Provider", {
      url: props.url,
      region: props.region,
      demo: props.demo,
      apiKey,
      alias: props.alias,
      expiryWarningDays: props.expiryWarningDays,
      policy: toProviderPolicy(props.policy),
    });
  }
}

/** Variables that DigicertOneProviders created, which later ones in the stack reuse. */
const ownVariables = new WeakSet<TerraformVariable>();

/** Finds a variable with the API key variable's logical id in the stack. */
function findApiKeyVariable(stack: TerraformStack): TerraformVariable | undefined {
  return stack.node
    .findAll()
    .find(
      (construct): construct is TerraformVariable =>
        construct instanceof TerraformVariable && construct.friendlyUniqueId === API_KEY_VARIABLE,
    );
}

function createApiKeyVariable(scope: Construct): TerraformVariable {
  const variable = new TerraformVariable(scope, "ApiKey", {
    type: "string",
    sensitive: true,
    nullable: true,
    // cdktf fails to synthesize a plain null default; nullValue renders
    // `"default": null`, which makes the variable optional.
    default: Token.nullValue(),
    description: `API key of a DigiCert ONE user whose role has the Manage users permission. When it is null, the provider reads the ${API_KEY_ENV} environment variable.`,
  });
  variable.overrideLogicalId(API_KEY_VARIABLE);
  ownVariables.add(variable);
  return variable;
}

function providerPropsSchema(existingVariable: TerraformVariable | undefined) {
  return z
    .strictObject({
      url: z
        .string({ error: typeError("url", '"https://one.digicert.com" or another base URL') })
        .superRefine(checkUrl)
        .optional(),
      region: z
        .string({ error: typeError("region", `one of ${joinWithAnd(REGIONS.map(quote))}`) })
        .superRefine(checkRegion)
        .optional(),
      demo: z.unknown().superRefine(checkDemo).optional(),
      apiKey: z.unknown().superRefine(checkApiKey).optional(),
      alias: terraformIdentifier("alias", "jp").optional(),
      expiryWarningDays: wholeNumber("expiryWarningDays", {
        min: 0,
        max: MAX_EXPIRY_WARNING_DAYS,
        unit: "days",
        note: "where 0 turns the warning off",
        omitFix: `omit it for the default of ${DEFAULT_EXPIRY_WARNING_DAYS} days`,
      }),
      policy: policySchema(),
    }, { error: propsTypeError("DigicertOneProvider") })
    .superRefine(
      (props: unknown, ctx) => {
        // Props that are not an object at all are already reported.
        if (typeof props !== "object" || props === null) return;
        checkConflicts(props, ctx);
        checkApiKeyVariable(props, ctx, existingVariable);
      },
      {
        // Run even when a prop above failed, so that every problem is
        // reported at once. The checks read the props defensively.
        when: () => true,
      },
    );
}

function checkUrl(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value)) return;
  const problem = serviceUrlProblem(value);
  if (problem === undefined) return;
  addProblem(ctx, {
    problem: `The URL ${problem}.`,
    rule: 'url must be an https URL with only a scheme, host and optional port, such as "https://one.digicert.com". Plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8 and [::1]), such as a local DigiCert ONE emulator.',
  });
}

function checkRegion(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value) || (REGIONS as readonly string[]).includes(value)) return;
  const lowercase = value.toLowerCase();
  addProblem(ctx, {
    problem: "It is not a DigiCert ONE region.",
    rule: `region must be one of ${joinWithAnd(REGIONS.map(quote))}.`,
    fix: (REGIONS as readonly string[]).includes(lowercase)
      ? `Write it in lowercase: ${quote(lowercase)}.`
      : "Pick the region of your tenant, or set url instead.",
  });
}

function checkDemo(value: unknown, ctx: z.RefinementCtx): void {
  if (value === undefined || typeof value === "boolean" || isToken(value)) return;
  addProblem(ctx, {
    problem: "demo is not a boolean.",
    rule: "demo is true for the region's demo host, or false for production.",
  });
}

function checkApiKey(value: unknown, ctx: z.RefinementCtx): void {
  const fix = `Pass a sensitive TerraformVariable's stringValue as apiKey, or omit apiKey and set TF_VAR_${API_KEY_VARIABLE} or ${API_KEY_ENV} at plan time.`;
  if (typeof value !== "string") {
    addProblem(ctx, {
      problem: "apiKey is not a string.",
      rule: "apiKey must be an unresolved token string.",
      fix,
    });
    return;
  }
  if (!isToken(value)) {
    addProblem(ctx, {
      problem: "apiKey is a literal string, which cdktf would write to cdk.tf.json in plain text.",
      rule: "apiKey accepts only an unresolved token, such as a sensitive variable's value, so that the key stays out of the synthesized configuration.",
      fix,
    });
    return;
  }
  // The fragments' literals are the plain strings between tokens, although
  // cdktf 0.21 declares them as IResolvable.
  const literals: unknown[] = Tokenization.reverseString(value).literals;
  const hasLiteralText = literals.some((literal) => literal !== "");
  if (hasLiteralText) {
    addProblem(ctx, {
      problem: "apiKey mixes a token with literal text, which cdktf would write to cdk.tf.json in plain text.",
      rule: "apiKey must be a token and nothing else, so that no part of the key is in the synthesized configuration.",
      fix,
    });
  }
}

/** The props as the checks across props read them: any of them may have failed its own check. */
interface UncheckedProviderProps {
  readonly url?: unknown;
  readonly region?: unknown;
  readonly demo?: unknown;
  readonly apiKey?: unknown;
}

/**
 * Checks that the stack has no API key variable of its own when the
 * construct needs to declare one.
 */
function checkApiKeyVariable(
  props: UncheckedProviderProps,
  ctx: z.RefinementCtx,
  existingVariable: TerraformVariable | undefined,
): void {
  if (props.apiKey !== undefined || existingVariable === undefined) return;
  if (ownVariables.has(existingVariable)) return;
  addProblem(ctx, {
    path: ["apiKey"],
    problem: `apiKey is not set, and the stack already has a variable named ${API_KEY_VARIABLE}, at ${existingVariable.node.path}, that no DigicertOneProvider created.`,
    rule: `Without apiKey, the construct declares the ${API_KEY_VARIABLE} variable itself, and Terraform variable names are unique in a stack.`,
    fix: "Pass that variable's stringValue as apiKey, or rename the variable.",
  });
}

function checkConflicts(props: UncheckedProviderProps, ctx: z.RefinementCtx): void {
  if (typeof props.url !== "string" || isToken(props.url)) return;

  const conflicting: string[] = [];
  if (typeof props.region === "string" && !isToken(props.region)) conflicting.push("region");
  if (props.demo === true) conflicting.push("demo: true");
  if (conflicting.length === 0) return;

  addProblem(ctx, {
    path: ["url"],
    problem: `url is set together with ${joinWithAnd(conflicting)}.`,
    rule: "url names the host directly, while region and demo select a DigiCert ONE host.",
    fix: "Remove url, or remove region and demo.",
  });
}
