// Validation of ServiceUser props at construction. It applies the provider's
// rules for digicertone_service_user (provider/src/resources/service-user/
// validate.ts), so a mistake fails at synth instead of at plan, and adds the
// construct's own rules: logical ids, token output ids and unique names in a
// stack. Values that are cdktf tokens are skipped.

import { z } from "zod";
import { NAME_MAX_LENGTH } from "../../provider/src/resources/service-user/schema";
import {
  MANAGER_CODE_RULE,
  ROLE_CODE_RULE,
} from "../../provider/src/resources/service-user/validate";
import { calendarDateProblem } from "../../provider/src/validation/dates";
import { quote } from "../../provider/src/validation/diagnostics";
import {
  characterCount,
  describeCharacters,
  emailProblem,
  findInvalidCharacters,
} from "../../provider/src/validation/strings";
import {
  deriveServiceUserLogicalId,
  deriveTokenOutputId,
  type Claim,
  type StackClaims,
} from "./logical-ids";
import { tokenPropsShape } from "./token-validation";
import {
  addProblem,
  digicertoneProvider,
  isToken,
  propsTypeError,
  type ProblemParts,
  TERRAFORM_IDENTIFIER,
  terraformIdentifier,
  typeError,
} from "./validation";

const NAME_RULE = `A service user name has 1 to ${NAME_MAX_LENGTH} characters: ASCII letters, digits, spaces, hyphens (-) and underscores (_), and does not start or end with a space.`;

const EMAIL_RULE =
  'A valid address has one "@", a name before it and a domain with a dot after it, and no spaces, such as "platform-team@example.com".';

const DATE_RULE =
  "expiresOn must be a UTC calendar day in the form YYYY-MM-DD, such as 2030-06-30, with no time or time zone.";

const MANAGER_CODE_TEXT = `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)} or "account_manager".`;

const ROLE_CODE_TEXT = `A role code has ${ROLE_CODE_RULE.description}, such as ${quote(ROLE_CODE_RULE.example)}.`;

const ACCESS_EXAMPLE = `access: { ${MANAGER_CODE_RULE.example}: [${quote(ROLE_CODE_RULE.example)}] }`;

/** A wrong prop name, such as a Terraform attribute name, mapped to the ServiceUser prop. */
export const SERVICE_USER_PROP_SUGGESTIONS = {
  expirationDate: "expiresOn",
  expiration_date: "expiresOn",
  accountIds: "accounts",
  account_ids: "accounts",
  primaryAccountId: "primaryAccount",
  primary_account_id: "primaryAccount",
  roles: "access",
  rotation_triggers: "rotationTriggers",
  rotation_days: "rotationDays",
  token_overlap_days: "tokenOverlapDays",
} as const;

/** Inputs of the props checks other than the props themselves. */
export interface ServiceUserValidationContext {
  /** The ids and names already used by service users of the same stack. */
  readonly claims: StackClaims;
}

/** The Terraform ids of a service user, when the props allow them to be computed. */
export interface ServiceUserIds {
  /** The resource's logical id; undefined when it cannot be derived. */
  readonly logicalId: string | undefined;
  /** The token output's id; undefined when there is no output or no valid id. */
  readonly outputId: string | undefined;
}

/**
 * Computes the logical id and token output id from the props: the pinned
 * `logicalId` or the one derived from `name`, and the given `tokenOutput` or
 * the one derived from the logical id. Invalid or token values give
 * undefined, which the props checks report.
 */
export function serviceUserIds(props: {
  readonly name?: unknown;
  readonly logicalId?: unknown;
  readonly tokenOutput?: unknown;
}): ServiceUserIds {
  let logicalId: string | undefined;
  if (props.logicalId !== undefined) {
    logicalId = isIdentifier(props.logicalId) ? props.logicalId : undefined;
  } else if (typeof props.name === "string" && !isToken(props.name)) {
    logicalId = deriveServiceUserLogicalId(props.name);
  }

  let outputId: string | undefined;
  if (props.tokenOutput === undefined) {
    outputId = logicalId === undefined ? undefined : deriveTokenOutputId(logicalId);
  } else if (isIdentifier(props.tokenOutput)) {
    outputId = props.tokenOutput;
  }
  return { logicalId, outputId };
}

function isIdentifier(value: unknown): value is string {
  return typeof value === "string" && !isToken(value) && TERRAFORM_IDENTIFIER.test(value);
}

/** Schemas by stack. */
const schemaCache = new WeakMap<StackClaims, z.ZodType>();

/**
 * Returns the zod schema of ServiceUser props for a stack. It is built once
 * per stack, because building a zod object schema costs about as much as
 * creating the construct itself.
 */
export function serviceUserPropsSchema(context: ServiceUserValidationContext): z.ZodType {
  const cached = schemaCache.get(context.claims);
  if (cached !== undefined) return cached;

  const schema = buildServiceUserPropsSchema(context);
  schemaCache.set(context.claims, schema);
  return schema;
}

function buildServiceUserPropsSchema(context: ServiceUserValidationContext) {
  return z
    .strictObject({
      name: z
        .string({ error: typeError("name", 'the friendly name, such as "release-signing bot"') })
        .superRefine(checkName),
      description: z.string({ error: typeError("description", "a string") }).optional(),
      email: z
        .string({ error: typeError("email", 'an email address, such as "platform-team@example.com"') })
        .superRefine(checkEmail),
      expiresOn: z
        .string({ error: typeError("expiresOn", 'a UTC day as YYYY-MM-DD, such as "2030-06-30"') })
        .superRefine(checkExpiresOn)
        .optional(),
      accounts: z
        .array(z.string({ error: "An account id must be a string." }), {
          error: typeError("accounts", 'a list of account ids, such as ["<account id>"]'),
        })
        .superRefine(checkAccounts),
      primaryAccount: z
        .string({ error: typeError("primaryAccount", "one of the ids in accounts") })
        .superRefine(checkPrimaryAccount)
        .optional(),
      access: z.unknown().superRefine(checkAccessProp),
      ...tokenPropsShape,
      provider: digicertoneProvider("A service user").optional(),
      tokenOutput: z.unknown().superRefine(checkTokenOutput).optional(),
      logicalId: terraformIdentifier("logicalId", "service_user_release_signing_bot").optional(),
    }, { error: propsTypeError("ServiceUser") })
    .superRefine((props: unknown, ctx) => checkAcrossProps(props, ctx, context), {
      // Run even when a prop above failed, so that every problem is
      // reported at once. The check reads the props defensively.
      when: () => true,
    });
}

function checkName(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value)) return;
  for (const problem of nameProblems(value)) addProblem(ctx, problem);
}

/** Returns the problems of a literal friendly name; none when it is valid. */
export function nameProblems(value: string): ProblemParts[] {
  if (value === "") {
    return [{ problem: "The name is empty.", rule: NAME_RULE }];
  }

  const problems: ProblemParts[] = [];
  const invalid = findInvalidCharacters(value, (character) => /^[A-Za-z0-9 _-]$/.test(character));
  if (invalid.length > 0) {
    const plural = invalid.length > 1;
    problems.push({
      problem: `The name contains ${plural ? "characters" : "a character"} that DigiCert ONE does not allow: ${describeCharacters(invalid)}.`,
      rule: NAME_RULE,
      fix: `Remove or replace ${plural ? "these characters" : "this character"}.`,
    });
  }

  const length = characterCount(value);
  if (length > NAME_MAX_LENGTH) {
    problems.push({
      problem: `The name has ${length} characters, more than the maximum of ${NAME_MAX_LENGTH}.`,
      rule: NAME_RULE,
      fix: "Shorten it.",
    });
  }

  if (value.startsWith(" ") || value.endsWith(" ")) {
    problems.push({
      problem: "The name starts or ends with a space.",
      rule: NAME_RULE,
      fix: "Remove the leading and trailing spaces.",
    });
  }
  return problems;
}

function checkEmail(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value)) return;
  const problem = emailProblem(value);
  if (problem === undefined) return;
  addProblem(ctx, {
    problem: `It is not a valid email address, because it ${problem}.`,
    rule: EMAIL_RULE,
  });
}

// A date in the past is not an error here: a service user whose date has
// passed must still synthesize, so that its plan can show it. ServiceUser
// warns instead, and the provider rejects a past date that a plan sets.
function checkExpiresOn(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value)) return;

  const problem = calendarDateProblem(value);
  if (problem !== undefined) {
    addProblem(ctx, { problem: `The date ${problem}.`, rule: DATE_RULE });
  }
}

/** Returns a warning when expiresOn is before `today` (both YYYY-MM-DD). */
export function pastExpiryWarning(expiresOn: string | undefined, today: string): string | undefined {
  if (expiresOn === undefined || isToken(expiresOn)) return undefined;
  // YYYY-MM-DD strings compare in calendar order.
  if (expiresOn >= today) return undefined;
  return (
    `expiresOn ${JSON.stringify(expiresOn)} is in the past (today is ${today} in UTC). ` +
    "A service user that already has this date has expired, and DigiCert ONE rejects a past date " +
    "for a new service user or a changed date. Set a later date, or omit expiresOn for a service user that does not expire."
  );
}

function checkAccounts(accounts: string[], ctx: z.RefinementCtx): void {
  if (isToken(accounts)) return;

  if (accounts.length === 0) {
    addProblem(ctx, {
      problem: "The list is empty.",
      rule: "A service user belongs to at least one account.",
      fix: 'List at least one account id, such as accounts: ["<account id>"].',
    });
    return;
  }

  accounts.forEach((account, index) => {
    if (account !== "") return;
    addProblem(ctx, {
      path: [index],
      problem: "The account id is an empty string.",
      rule: "Each account id is a non-empty string.",
      fix: "Remove it, or replace it with the account's id.",
    });
  });
}

function checkPrimaryAccount(value: string, ctx: z.RefinementCtx): void {
  if (value !== "") return;
  addProblem(ctx, {
    problem: "The account id is an empty string.",
    rule: "primaryAccount must be one of the ids in accounts.",
    fix: "Set it to one of those ids, or omit it to use the smallest id in accounts.",
  });
}

const accessSchema = buildAccessSchema();

/**
 * Checks the access prop. A token for the whole map is rejected, because
 * the resource needs each manager's roles wrapped in an object, which the
 * construct can do only for a map it can see.
 */
function checkAccessProp(value: unknown, ctx: z.RefinementCtx): void {
  if (value !== undefined && isToken(value)) {
    addProblem(ctx, {
      problem: "access is a token as a whole.",
      rule: "The construct needs the map's manager codes to build the resource's access block. Role lists and manager codes may be tokens.",
      fix: `Write the map literally, such as ${ACCESS_EXAMPLE}.`,
    });
    return;
  }
  const result = accessSchema.safeParse(value);
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  }
}

function buildAccessSchema() {
  const roles = z.array(z.string({ error: "A role code must be a string." }), {
    error: `Each manager needs a list of role codes, such as ${ACCESS_EXAMPLE}.`,
  });
  return z
    .record(z.string(), roles, {
      error: typeError("access", `a map from manager code to role codes, such as ${ACCESS_EXAMPLE}`),
    })
    .superRefine(checkAccess);
}

function checkAccess(access: { [managerCode: string]: string[] }, ctx: z.RefinementCtx): void {
  const managers = Object.entries(access);
  if (managers.length === 0) {
    addProblem(ctx, {
      problem: "The map has no manager.",
      rule: "A service user needs at least one manager, each with at least one role.",
      fix: `Add a manager, such as ${ACCESS_EXAMPLE}.`,
    });
    return;
  }

  for (const [managerCode, roles] of managers) {
    const problem = managerCodeProblem(managerCode);
    if (problem !== undefined) addProblem(ctx, { ...problem, path: [managerCode] });
    checkRoles(managerCode, roles, ctx);
  }
}

/** Returns the problem of a manager code; none when it is valid or a token. */
export function managerCodeProblem(managerCode: string): ProblemParts | undefined {
  if (isToken(managerCode) || MANAGER_CODE_RULE.pattern.test(managerCode)) return undefined;
  const lowercase = managerCode.toLowerCase();
  return {
    problem: `The manager code ${quote(managerCode)} is invalid.`,
    rule: MANAGER_CODE_TEXT,
    fix: MANAGER_CODE_RULE.pattern.test(lowercase)
      ? `Write it in lowercase: ${quote(lowercase)}.`
      : "Use the manager's code in lowercase.",
  };
}

function checkRoles(managerCode: string, roles: string[], ctx: z.RefinementCtx): void {
  if (isToken(roles)) return;

  if (roles.length === 0) {
    addProblem(ctx, {
      path: [managerCode],
      problem: `The manager ${quote(managerCode)} has no role.`,
      rule: "Each manager in access needs at least one role.",
      fix: `List at least one role code, such as [${quote(ROLE_CODE_RULE.example)}].`,
    });
    return;
  }

  roles.forEach((role, index) => {
    const problem = roleCodeProblem(role);
    if (problem !== undefined) addProblem(ctx, { ...problem, path: [managerCode, index] });
  });
}

/** Returns the problem of one role code; none when it is valid or a token. */
export function roleCodeProblem(role: string): ProblemParts | undefined {
  if (isToken(role)) return undefined;
  if (role === "") {
    return {
      problem: "The role code is an empty string.",
      rule: ROLE_CODE_TEXT,
      fix: "Remove it, or replace it with the role's code.",
    };
  }
  if (ROLE_CODE_RULE.pattern.test(role)) return undefined;

  const uppercase = role.toUpperCase();
  return {
    problem: "The role code is invalid.",
    rule: ROLE_CODE_TEXT,
    fix: ROLE_CODE_RULE.pattern.test(uppercase)
      ? `Write it in uppercase: ${quote(uppercase)}.`
      : "Use the role's code in uppercase.",
  };
}

function checkTokenOutput(value: unknown, ctx: z.RefinementCtx): void {
  if (value === false) return;
  if (typeof value !== "string") {
    addProblem(ctx, {
      problem: "tokenOutput is neither a string nor false.",
      rule: "tokenOutput is the id of the token output, or false for no output.",
      fix: 'Set it to an id such as "release_signing_bot_token", to false, or omit it.',
    });
    return;
  }
  const result = terraformIdentifier("tokenOutput", "release_signing_bot_token").safeParse(value);
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  }
}

/** The props as checkAcrossProps reads them: any of them may have failed its own check. */
interface UncheckedProps {
  readonly name?: unknown;
  readonly accounts?: unknown;
  readonly primaryAccount?: unknown;
  readonly logicalId?: unknown;
  readonly tokenOutput?: unknown;
}

/**
 * Checks the rules that involve more than one prop or other service users
 * of the stack. The primary account must be one of the accounts, a logical
 * id must be derivable, and no logical id, output id or name may repeat.
 */
function checkAcrossProps(
  input: unknown,
  ctx: z.RefinementCtx,
  context: ServiceUserValidationContext,
): void {
  // Props that are not an object at all are already reported.
  if (typeof input !== "object" || input === null) return;
  const props = input as UncheckedProps;

  checkPrimaryAccountInAccounts(props, ctx);

  const ids = serviceUserIds(props);
  checkLogicalIdDerivable(props, ids, ctx);
  checkUniqueness(props, ids, ctx, context.claims);
}

function checkPrimaryAccountInAccounts(props: UncheckedProps, ctx: z.RefinementCtx): void {
  const { primaryAccount, accounts } = props;
  if (typeof primaryAccount !== "string" || primaryAccount === "" || isToken(primaryAccount)) {
    return;
  }
  if (!Array.isArray(accounts) || isToken(accounts)) return;
  if (accounts.some((account) => typeof account !== "string" || isToken(account))) return;
  if (accounts.includes(primaryAccount)) return;

  addProblem(ctx, {
    path: ["primaryAccount"],
    problem: "The account is not one of accounts.",
    rule: "The primary account must be one of the service user's accounts.",
    fix: `Add ${quote(primaryAccount)} to accounts, or set primaryAccount to one of the ids already there.`,
  });
}

const LOGICAL_ID_FIX =
  'Set logicalId to a stable Terraform identifier, such as "service_user_release_signing_bot".';

function checkLogicalIdDerivable(
  props: UncheckedProps,
  ids: ServiceUserIds,
  ctx: z.RefinementCtx,
): void {
  if (props.logicalId !== undefined || ids.logicalId !== undefined) return;
  if (typeof props.name !== "string") return;
  // An invalid name is reported on its own, and fixing it may fix this too.
  if (!isToken(props.name) && nameProblems(props.name).length > 0) return;

  const problem = isToken(props.name)
    ? "logicalId is missing, and it cannot be derived from name because name is a token."
    : `logicalId is missing, and it cannot be derived from the name ${quote(props.name)}, which has no letter or digit.`;
  addProblem(ctx, {
    path: ["logicalId"],
    problem,
    rule: "A service user's logical id is derived from a literal name that contains letters or digits, or set with logicalId.",
    fix: LOGICAL_ID_FIX,
  });
}

function describeClaim(claim: Claim): string {
  const name = claim.name === undefined ? "" : ` (name ${quote(claim.name)})`;
  return `the ServiceUser at ${claim.path}${name}`;
}

function checkUniqueness(
  props: UncheckedProps,
  ids: ServiceUserIds,
  ctx: z.RefinementCtx,
  claims: StackClaims,
): void {
  const reported = new Set<Claim>();

  if (typeof props.name === "string" && !isToken(props.name)) {
    const reference = claims.referencedNames.get(props.name.toLowerCase());
    if (reference !== undefined) {
      addProblem(ctx, {
        path: ["name"],
        problem: `ServiceUser.fromName at ${reference.path} references a service user with this name in this stack.`,
        rule: "A reference reads the service user at plan, before this stack's apply creates it, so the first plan would fail.",
        fix: "Remove the reference and call grant on this ServiceUser instead.",
      });
    }

    const claim = claims.names.get(props.name.toLowerCase());
    if (claim !== undefined) {
      reported.add(claim);
      addProblem(ctx, {
        path: ["name"],
        problem: `The name is already used by ${describeClaim(claim)} in this stack.`,
        rule: "DigiCert ONE friendly names are unique in a tenant, compared case-insensitively.",
        fix: "Give each service user its own name.",
      });
    }
  }

  if (ids.logicalId !== undefined) {
    const claim = claims.logicalIds.get(ids.logicalId);
    if (claim !== undefined && !reported.has(claim)) {
      reported.add(claim);
      const pinned = props.logicalId !== undefined;
      addProblem(ctx, {
        path: [pinned ? "logicalId" : "name"],
        problem: `The logical id ${quote(ids.logicalId)}${pinned ? "" : ", derived from the name,"} is already used by ${describeClaim(claim)} in this stack.`,
        rule: "Each service user in a stack needs its own logical id, because Terraform would treat the two as one resource.",
        fix: pinned
          ? "Set a different logicalId on one of them."
          : "Rename one of them, or set logicalId on one of them to a different Terraform identifier.",
      });
    }
  }

  if (ids.outputId !== undefined) {
    const claim = claims.outputIds.get(ids.outputId);
    if (claim !== undefined && !reported.has(claim)) {
      addProblem(ctx, {
        path: ["tokenOutput"],
        problem: `The output id ${quote(ids.outputId)} is already used by the token output of ${describeClaim(claim)} in this stack.`,
        rule: "Each output in a stack needs its own id.",
        fix: "Set tokenOutput to a different id, or to false for no output.",
      });
    }
  }
}
