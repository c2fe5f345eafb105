// The construct library for DigiCert ONE service users on CDK for Terraform
// (cdktf 0.21).

export {
  DigicertOneAccount,
  DigicertOneAccounts,
  type DigicertOneAccountsProps,
} from "./accounts";
export type { ServiceUserRoleBinding } from "./generated/service-user-role-binding";
export { type GrantOptions, type IServiceUser } from "./grant";
export { type LookupOptions } from "./lookup-options";
export { DigicertOneManagers, ManagerRoles } from "./managers";
export {
  type DigicertOnePolicy,
  type MaxLifetimeRule,
  type NamePatternRule,
  type PolicyRule,
  type PolicySeverity,
  type RoleListRule,
} from "./policy";
export { DigicertOneProvider, type DigicertOneProviderProps } from "./provider";
export { ServiceUser, type ServiceUserProps } from "./service-user";
export {
  DigicertOneServiceUsers,
  type DigicertOneServiceUsersProps,
} from "./service-user-list";
export { ServiceUserReference, type ServiceUserReferenceProps } from "./service-user-reference";
export { InvalidPropsError, type PropProblem } from "./validation";
