// The construct library for DigiCert ONE service users on CDK for Terraform
// (cdktf 0.21).

export { DigicertOneProvider, type DigicertOneProviderProps } from "./provider";
export { ServiceUser, type ServiceUserProps } from "./service-user";
export { InvalidPropsError, type PropProblem } from "./validation";
