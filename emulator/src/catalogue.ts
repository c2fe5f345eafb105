// Seed data of the emulator: accounts, managers (called applications in the
// API), their roles and permissions, and the two standard users that own the
// emulator's administrator and viewer API keys. Every id is a fixed UUID so
// that docs and tests can name it. Role and permission codes of Account
// Manager follow DigiCert's published codes, and the other managers' codes
// are invented in the same `VERB_<PREFIX>_<OBJECT>` pattern. Besides the
// eight managers that the DigiCert ONE UI names, the catalogue has two more
// DigiCert products, DNS Trust and Content Trust, so that tests can give
// one service user ten managers.

export interface Account {
  id: string;
  name: string;
  active: boolean;
  /** Service period as calendar dates (`YYYY-MM-DD`). */
  servicePeriod: { from: string; to: string };
  friendlyIdentifier: string;
  locale: string;
}

export interface Application {
  id: string;
  /** Manager code used by `GET /role?application_code=`. */
  code: string;
  name: string;
  /** Every permission the manager defines, in catalogue order. */
  permissions: readonly string[];
}

export interface Role {
  id: string;
  code: string;
  name: string;
  applicationId: string;
  permissions: readonly string[];
}

/** A standard (human) user seeded into the emulator. */
export interface StandardUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  primaryAccountId: string;
  accounts: readonly string[];
  /** Role ids. Permissions are the union of these roles' permissions. */
  roleIds: readonly string[];
  createdAt: string;
}

export const ACCOUNT_IDS = {
  platformEngineering: "510f00f0-90ee-4ee2-b52f-0152c01d18eb",
  productSecurity: "7743dc8d-d28d-42bf-8c31-c13c53dadd60",
  legacyOperations: "ad2b0965-554f-4da8-b8aa-79864d8c1575",
} as const;

export const ACCOUNTS: readonly Account[] = [
  {
    id: ACCOUNT_IDS.platformEngineering,
    name: "Acme Platform Engineering",
    active: true,
    servicePeriod: { from: "2024-01-01", to: "2030-12-31" },
    friendlyIdentifier: "ACME-PLATFORM",
    locale: "en_US",
  },
  {
    id: ACCOUNT_IDS.productSecurity,
    name: "Acme Product Security",
    active: true,
    servicePeriod: { from: "2024-03-01", to: "2030-12-31" },
    friendlyIdentifier: "ACME-PRODSEC",
    locale: "en_US",
  },
  {
    id: ACCOUNT_IDS.legacyOperations,
    name: "Acme Legacy Operations",
    active: false,
    servicePeriod: { from: "2019-01-01", to: "2023-12-31" },
    friendlyIdentifier: "ACME-LEGACY",
    locale: "en_US",
  },
];

export const APPLICATION_IDS = {
  account_manager: "fdc411cd-5a05-4969-ae88-7627b9cec48a",
  trust_lifecycle: "1b1086f1-6f40-42c6-8f2a-97aab18c21af",
  software_trust: "69dd0dfa-ee01-422e-8cc2-27eec2298527",
  iot_trust: "82f585f4-bf58-4fcd-99af-58f0a890cad4",
  document_trust: "4ab3b6c9-c664-47e3-a78c-92c93d1ae7d1",
  device_trust: "70b77529-8396-401e-bf5e-1a98208c3d43",
  ca_manager: "3501085d-d93f-4514-9edf-450d7dc83182",
  keylocker: "276be4b5-fbd9-4599-8891-085017c2e9be",
  dns_trust: "bbc6d6d4-45a9-4596-85d6-a9a317e9758b",
  content_trust: "6eb3b0b6-575b-4324-8e34-919f0d3ef600",
} as const;

export type ApplicationCode = keyof typeof APPLICATION_IDS;

export const APPLICATIONS: readonly Application[] = [
  {
    id: APPLICATION_IDS.account_manager,
    code: "account_manager",
    name: "Account Manager",
    permissions: [
      "VIEW_AM_ACCOUNT",
      "MANAGE_AM_ACCOUNT",
      "VIEW_AM_USER",
      "MANAGE_AM_USER",
      "VIEW_AM_AUDIT_LOG",
      "VIEW_AM_PROFILE",
      "MANAGE_AM_PROFILE",
    ],
  },
  {
    id: APPLICATION_IDS.trust_lifecycle,
    code: "trust_lifecycle",
    name: "Trust Lifecycle",
    permissions: [
      "VIEW_EM_CERTIFICATE",
      "ISSUE_EM_CERTIFICATE",
      "REVOKE_EM_CERTIFICATE",
      "VIEW_EM_PROFILE",
      "MANAGE_EM_PROFILE",
      "VIEW_EM_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.software_trust,
    code: "software_trust",
    name: "Software Trust",
    permissions: [
      "SIGN_SM_HASH",
      "VIEW_SM_KEYPAIR",
      "MANAGE_SM_KEYPAIR",
      "VIEW_SM_CERTIFICATE",
      "MANAGE_SM_CERTIFICATE",
      "VIEW_SM_RELEASE",
      "MANAGE_SM_RELEASE",
      "VIEW_SM_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.iot_trust,
    code: "iot_trust",
    name: "IoT Trust",
    permissions: [
      "VIEW_IOT_DEVICE",
      "MANAGE_IOT_DEVICE",
      "VIEW_IOT_CERTIFICATE",
      "ISSUE_IOT_CERTIFICATE",
      "REVOKE_IOT_CERTIFICATE",
      "VIEW_IOT_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.document_trust,
    code: "document_trust",
    name: "Document Trust",
    permissions: [
      "SIGN_DSM_DOCUMENT",
      "VIEW_DSM_DOCUMENT",
      "VIEW_DSM_CERTIFICATE",
      "MANAGE_DSM_CERTIFICATE",
      "VIEW_DSM_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.device_trust,
    code: "device_trust",
    name: "Device Trust",
    permissions: [
      "VIEW_DTM_DEVICE",
      "MANAGE_DTM_DEVICE",
      "VIEW_DTM_POLICY",
      "MANAGE_DTM_POLICY",
      "VIEW_DTM_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.ca_manager,
    code: "ca_manager",
    name: "CA Manager",
    permissions: [
      "VIEW_CM_CA",
      "MANAGE_CM_CA",
      "VIEW_CM_LICENSE",
      "MANAGE_CM_LICENSE",
      "VIEW_CM_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.keylocker,
    code: "keylocker",
    name: "KeyLocker",
    permissions: [
      "VIEW_KL_KEY",
      "MANAGE_KL_KEY",
      "USE_KL_KEY",
      "VIEW_KL_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.dns_trust,
    code: "dns_trust",
    name: "DNS Trust",
    permissions: [
      "VIEW_DNS_ZONE",
      "MANAGE_DNS_ZONE",
      "VIEW_DNS_RECORD",
      "MANAGE_DNS_RECORD",
      "VIEW_DNS_AUDIT_LOG",
    ],
  },
  {
    id: APPLICATION_IDS.content_trust,
    code: "content_trust",
    name: "Content Trust",
    permissions: [
      "SIGN_CTM_CONTENT",
      "VIEW_CTM_CONTENT",
      "VIEW_CTM_CERTIFICATE",
      "MANAGE_CTM_CERTIFICATE",
      "VIEW_CTM_AUDIT_LOG",
    ],
  },
];

function allPermissionsOf(code: ApplicationCode): readonly string[] {
  const application = APPLICATIONS.find((candidate) => candidate.code === code);
  if (application === undefined) {
    throw new Error(`catalogue has no application with code ${code}`);
  }
  return application.permissions;
}

export const ROLE_IDS = {
  AM_ACCOUNT_ADMIN: "bdfe102d-43c3-4f2d-86db-77408462b996",
  AM_ACCOUNT_MANAGER: "78fb28a7-ac52-4f1d-a99d-ca8ced2c2b0f",
  AM_ACCOUNT_USER: "7e4cc23b-e070-40fa-a215-f873db161118",
  AM_DEFAULT_USER: "b603ed7a-fb26-45f8-adc4-3f2e8f30b19a",
  AM_VIEW_ONLY: "afc8e1c6-0f29-40a1-84ad-3ebe5821a60d",
  AM_USER_MANAGER: "5139dec7-c0ef-4440-8f68-171bff364468",
  EM_ADMIN: "1cebe24d-2252-494c-baa6-b343a6850758",
  EM_CERTIFICATE_MANAGER: "bbddcf2d-e5b4-4bf7-8ded-117d5c956ccb",
  EM_USER: "ae4d6065-5f15-4cc4-b230-b47126ea549b",
  EM_VIEW_ONLY: "fe73811c-18c1-465c-9159-d84495c10544",
  SM_ADMIN: "37967dbc-e478-4dd5-96ad-7fd3306f8a41",
  SM_LEAD: "bbf1c0e2-20a6-40c7-954b-820f54243ba3",
  SM_SIGNER: "c2f0ce70-9764-42c7-a72a-9ecfc3db4fa8",
  SM_VIEW_ONLY: "029bf310-b2e6-45c4-a804-4efe54634d8d",
  IOT_ADMIN: "1ae6265d-6054-44bf-bea7-211c0ad69db8",
  IOT_OPERATOR: "934331ea-c1e0-4105-9bf5-e3c7fa97e967",
  IOT_VIEW_ONLY: "44d9ac49-cc83-464d-a82f-5fd63679b275",
  DSM_ADMIN: "855bf975-562e-4774-ad27-5ed4f3b4ca9a",
  DSM_SIGNER: "3c227e14-9dcc-4765-b658-dac191578bd6",
  DSM_VIEW_ONLY: "e0344f37-2859-4d2b-8855-5726ef22b80b",
  DTM_ADMIN: "57c2e614-ea52-4a4c-89a3-8fe629958b40",
  DTM_OPERATOR: "ece9dd00-863b-4123-8526-ffb6e2b0387a",
  DTM_VIEW_ONLY: "efdbd19f-a020-4686-9637-770d5b53704f",
  CM_ADMIN: "bede7da1-ff78-439f-a473-b439370865f9",
  CM_OPERATOR: "0034f689-4e67-4b6f-b812-c7cd45beeca5",
  CM_VIEW_ONLY: "de5b4a5a-a7ce-4a5b-8b19-3683a28753e8",
  KL_ADMIN: "b46830b5-a57f-4af2-896b-c5ade0dc0e94",
  KL_KEY_USER: "6cbd81f8-d37b-4fd0-b139-101700b4876d",
  KL_VIEW_ONLY: "cf7465d5-8c9e-4d65-a14c-ca5e13c8de03",
  DNS_ADMIN: "189d97c3-7f2b-4bdf-a0f9-db0ee72f45ff",
  DNS_OPERATOR: "6b61356a-1f5f-4875-b039-da98d6b41e45",
  DNS_VIEW_ONLY: "940783a7-322d-4c09-9590-017d0e63223c",
  CTM_ADMIN: "8fe4c946-b232-40f7-a31e-5d34da4ef43b",
  CTM_SIGNER: "ced96f5a-755b-4500-8d00-42f50c60714e",
  CTM_VIEW_ONLY: "73548bf4-45d7-46df-acd5-d5708468a37c",
} as const;

export type RoleCode = keyof typeof ROLE_IDS;

function role(
  code: RoleCode,
  name: string,
  application: ApplicationCode,
  permissions: readonly string[],
): Role {
  return {
    id: ROLE_IDS[code],
    code,
    name,
    applicationId: APPLICATION_IDS[application],
    permissions,
  };
}

// Each manager's first role has all of its permissions, so the
// administrator, who has every first role, has every permission.
export const ROLES: readonly Role[] = [
  role("AM_ACCOUNT_ADMIN", "Account admin", "account_manager", allPermissionsOf("account_manager")),
  role("AM_ACCOUNT_MANAGER", "Account manager", "account_manager", [
    "VIEW_AM_ACCOUNT",
    "MANAGE_AM_ACCOUNT",
    "VIEW_AM_USER",
    "VIEW_AM_AUDIT_LOG",
  ]),
  role("AM_ACCOUNT_USER", "Account user", "account_manager", [
    "VIEW_AM_ACCOUNT",
    "VIEW_AM_USER",
    "VIEW_AM_PROFILE",
  ]),
  role("AM_DEFAULT_USER", "Default user", "account_manager", [
    "VIEW_AM_PROFILE",
    "MANAGE_AM_PROFILE",
  ]),
  role("AM_VIEW_ONLY", "View only", "account_manager", [
    "VIEW_AM_ACCOUNT",
    "VIEW_AM_USER",
    "VIEW_AM_AUDIT_LOG",
  ]),
  role("AM_USER_MANAGER", "User manager", "account_manager", [
    "VIEW_AM_ACCOUNT",
    "VIEW_AM_USER",
    "MANAGE_AM_USER",
  ]),

  role("EM_ADMIN", "Administrator", "trust_lifecycle", allPermissionsOf("trust_lifecycle")),
  role("EM_CERTIFICATE_MANAGER", "Certificate manager", "trust_lifecycle", [
    "VIEW_EM_CERTIFICATE",
    "ISSUE_EM_CERTIFICATE",
    "REVOKE_EM_CERTIFICATE",
    "VIEW_EM_PROFILE",
  ]),
  role("EM_USER", "User", "trust_lifecycle", [
    "VIEW_EM_CERTIFICATE",
    "ISSUE_EM_CERTIFICATE",
    "VIEW_EM_PROFILE",
  ]),
  role("EM_VIEW_ONLY", "View only", "trust_lifecycle", [
    "VIEW_EM_CERTIFICATE",
    "VIEW_EM_PROFILE",
    "VIEW_EM_AUDIT_LOG",
  ]),

  role("SM_ADMIN", "Administrator", "software_trust", allPermissionsOf("software_trust")),
  role("SM_LEAD", "Lead", "software_trust", [
    "SIGN_SM_HASH",
    "VIEW_SM_KEYPAIR",
    "MANAGE_SM_KEYPAIR",
    "VIEW_SM_CERTIFICATE",
    "MANAGE_SM_CERTIFICATE",
    "VIEW_SM_RELEASE",
    "MANAGE_SM_RELEASE",
  ]),
  role("SM_SIGNER", "Signer", "software_trust", [
    "SIGN_SM_HASH",
    "VIEW_SM_KEYPAIR",
    "VIEW_SM_CERTIFICATE",
    "VIEW_SM_RELEASE",
  ]),
  role("SM_VIEW_ONLY", "View only", "software_trust", [
    "VIEW_SM_KEYPAIR",
    "VIEW_SM_CERTIFICATE",
    "VIEW_SM_RELEASE",
    "VIEW_SM_AUDIT_LOG",
  ]),

  role("IOT_ADMIN", "Administrator", "iot_trust", allPermissionsOf("iot_trust")),
  role("IOT_OPERATOR", "Operator", "iot_trust", [
    "VIEW_IOT_DEVICE",
    "MANAGE_IOT_DEVICE",
    "VIEW_IOT_CERTIFICATE",
    "ISSUE_IOT_CERTIFICATE",
  ]),
  role("IOT_VIEW_ONLY", "View only", "iot_trust", [
    "VIEW_IOT_DEVICE",
    "VIEW_IOT_CERTIFICATE",
    "VIEW_IOT_AUDIT_LOG",
  ]),

  role("DSM_ADMIN", "Administrator", "document_trust", allPermissionsOf("document_trust")),
  role("DSM_SIGNER", "Signer", "document_trust", [
    "SIGN_DSM_DOCUMENT",
    "VIEW_DSM_DOCUMENT",
    "VIEW_DSM_CERTIFICATE",
  ]),
  role("DSM_VIEW_ONLY", "View only", "document_trust", [
    "VIEW_DSM_DOCUMENT",
    "VIEW_DSM_CERTIFICATE",
    "VIEW_DSM_AUDIT_LOG",
  ]),

  role("DTM_ADMIN", "Administrator", "device_trust", allPermissionsOf("device_trust")),
  role("DTM_OPERATOR", "Operator", "device_trust", [
    "VIEW_DTM_DEVICE",
    "MANAGE_DTM_DEVICE",
    "VIEW_DTM_POLICY",
  ]),
  role("DTM_VIEW_ONLY", "View only", "device_trust", [
    "VIEW_DTM_DEVICE",
    "VIEW_DTM_POLICY",
    "VIEW_DTM_AUDIT_LOG",
  ]),

  role("CM_ADMIN", "Administrator", "ca_manager", allPermissionsOf("ca_manager")),
  role("CM_OPERATOR", "Operator", "ca_manager", [
    "VIEW_CM_CA",
    "MANAGE_CM_CA",
    "VIEW_CM_LICENSE",
  ]),
  role("CM_VIEW_ONLY", "View only", "ca_manager", [
    "VIEW_CM_CA",
    "VIEW_CM_LICENSE",
    "VIEW_CM_AUDIT_LOG",
  ]),

  role("KL_ADMIN", "Administrator", "keylocker", allPermissionsOf("keylocker")),
  role("KL_KEY_USER", "Key user", "keylocker", ["VIEW_KL_KEY", "USE_KL_KEY"]),
  role("KL_VIEW_ONLY", "View only", "keylocker", [
    "VIEW_KL_KEY",
    "VIEW_KL_AUDIT_LOG",
  ]),

  role("DNS_ADMIN", "Administrator", "dns_trust", allPermissionsOf("dns_trust")),
  role("DNS_OPERATOR", "Operator", "dns_trust", [
    "VIEW_DNS_ZONE",
    "VIEW_DNS_RECORD",
    "MANAGE_DNS_RECORD",
  ]),
  role("DNS_VIEW_ONLY", "View only", "dns_trust", [
    "VIEW_DNS_ZONE",
    "VIEW_DNS_RECORD",
    "VIEW_DNS_AUDIT_LOG",
  ]),

  role("CTM_ADMIN", "Administrator", "content_trust", allPermissionsOf("content_trust")),
  role("CTM_SIGNER", "Signer", "content_trust", [
    "SIGN_CTM_CONTENT",
    "VIEW_CTM_CONTENT",
    "VIEW_CTM_CERTIFICATE",
  ]),
  role("CTM_VIEW_ONLY", "View only", "content_trust", [
    "VIEW_CTM_CONTENT",
    "VIEW_CTM_CERTIFICATE",
    "VIEW_CTM_AUDIT_LOG",
  ]),
];

/** Permission that create, update, disable, enable and delete require. */
export const MANAGE_USERS_PERMISSION = "MANAGE_AM_USER";

export const STANDARD_USER_IDS = {
  administrator: "da80fcc3-337b-4429-a4a5-ab8b090f4801",
  viewer: "d9db3a60-f119-4c5e-b2e5-f1bc2fe6671b",
} as const;

/** Owner of the administrator API key, with every manager's first (full) role. */
export const ADMINISTRATOR: StandardUser = {
  id: STANDARD_USER_IDS.administrator,
  username: "emulator-admin",
  firstName: "Emulator",
  lastName: "Administrator",
  email: "emulator-admin@example.com",
  primaryAccountId: ACCOUNT_IDS.platformEngineering,
  accounts: ACCOUNTS.map((account) => account.id),
  roleIds: [
    ROLE_IDS.AM_ACCOUNT_ADMIN,
    ROLE_IDS.EM_ADMIN,
    ROLE_IDS.SM_ADMIN,
    ROLE_IDS.IOT_ADMIN,
    ROLE_IDS.DSM_ADMIN,
    ROLE_IDS.DTM_ADMIN,
    ROLE_IDS.CM_ADMIN,
    ROLE_IDS.KL_ADMIN,
    ROLE_IDS.DNS_ADMIN,
    ROLE_IDS.CTM_ADMIN,
  ],
  createdAt: "2024-01-01T00:00:00Z",
};

/** Owner of the viewer API key, who can read but cannot manage users. */
export const VIEWER: StandardUser = {
  id: STANDARD_USER_IDS.viewer,
  username: "emulator-viewer",
  firstName: "Emulator",
  lastName: "Viewer",
  email: "emulator-viewer@example.com",
  primaryAccountId: ACCOUNT_IDS.platformEngineering,
  accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.productSecurity],
  roleIds: [ROLE_IDS.AM_VIEW_ONLY],
  createdAt: "2024-01-01T00:00:00Z",
};

export const STANDARD_USERS: readonly StandardUser[] = [ADMINISTRATOR, VIEWER];

export function findAccount(id: string): Account | undefined {
  return ACCOUNTS.find((account) => account.id === id);
}

export function findApplication(id: string): Application | undefined {
  return APPLICATIONS.find((application) => application.id === id);
}

export function findApplicationByCode(code: string): Application | undefined {
  return APPLICATIONS.find((application) => application.code === code);
}

export function findRole(id: string): Role | undefined {
  return ROLES.find((candidate) => candidate.id === id);
}

export function rolesOfApplication(applicationId: string): Role[] {
  return ROLES.filter((candidate) => candidate.applicationId === applicationId);
}
