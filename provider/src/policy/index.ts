// The provider's plan-time policy: the `policy` block's schema, its
// validation and conversion, and the checks that plans of service users and
// role bindings run.

export { checkRoleBindingPolicy, checkServiceUserPolicy } from "./check";
export {
  EMPTY_POLICY,
  compileNamePattern,
  namePatternProblem,
  resolvePolicy,
  validatePolicyConfig,
  type Policy,
  type RoleList,
} from "./config";
export {
  DEFAULT_SEVERITY,
  MAX_LIFETIME_DAYS,
  MIN_LIFETIME_DAYS,
  POLICY_BLOCK_NAME,
  SEVERITIES,
  policyBlock,
  type PolicySeverity,
} from "./schema";
