// The digicertone_roles and digicertone_managers data sources against a fake
// DigiCert ONE client.

import { createDataSources } from "../../provider/src/data-sources";
import { DigicertNetworkError } from "../../provider/src/digicert/errors";
import type { DigicertClient, Role } from "../../provider/src/digicert/types";
import { knownManagerCodes } from "../../provider/src/digicert/wire";
import {
  path,
  unknown,
  type CallContext,
  type DataSourceType,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { blockType, encodeMsgpack } from "../../provider/src/plugin/cty";

function role(managerCode: string, code: string, permissions: string[] = []): Role {
  return {
    id: `${code.toLowerCase()}-id`,
    code,
    name: `${code} name`,
    managerId: `${managerCode}-id`,
    managerCode,
    permissions,
  };
}

/** Roles per manager code; codes not listed have none. */
const CATALOGUE: { [managerCode: string]: Role[] } = {
  software_trust: [
    role("software_trust", "SM_SIGNER", ["VIEW_SM_RELEASE", "SIGN_SM_HASH", "SIGN_SM_HASH"]),
    role("software_trust", "SM_ADMIN", ["MANAGE_SM_RELEASE"]),
    role("software_trust", "SM_LEAD"),
  ],
  account_manager: [role("account_manager", "AM_VIEW_ONLY", ["VIEW_AM_USER"])],
  keylocker: [role("keylocker", "KL_KEY_USER", ["USE_KL_KEY"])],
};

const MANAGER_CODES = ["software_trust", "account_manager", "keylocker", "iot_trust"];

function fakeClient(options: { failFor?: string } = {}) {
  const requested: string[] = [];
  const signals: Array<AbortSignal | undefined> = [];
  const client = {
    async listRoles(managerCode: string, signal?: AbortSignal): Promise<Role[]> {
      requested.push(managerCode);
      signals.push(signal);
      signal?.throwIfAborted();
      if (managerCode === options.failFor) {
        throw new DigicertNetworkError({
          code: "connection_refused",
          method: "GET",
          path: `/account/api/v1/role?application_code=${managerCode}`,
          host: "127.0.0.1:1",
          cause: undefined,
        });
      }
      return structuredClone(CATALOGUE[managerCode] ?? []);
    },
  };
  // The data sources call only listRoles.
  return { client: client as unknown as DigicertClient, requested, signals };
}

function dataSource(name: string, managerCodes = MANAGER_CODES): DataSourceType<DigicertClient> {
  const logger = createLogger("test", {}, () => {});
  const found = createDataSources({ logger, managerCodes }).find(
    (candidate) => candidate.name === name,
  );
  if (found === undefined) throw new Error(`no data source ${name}`);
  return found;
}

function context(): CallContext {
  return { signal: new AbortController().signal };
}

function only(diagnostics: Diagnostic[] | undefined): Diagnostic {
  expect(diagnostics).toHaveLength(1);
  return diagnostics![0];
}

function expectConforms(source: DataSourceType<DigicertClient>, state: ObjectValue | null) {
  expect(state).not.toBeNull();
  expect(() => encodeMsgpack(state, blockType(source.schema.block))).not.toThrow();
}

describe("digicertone_roles validation", () => {
  const source = dataSource("digicertone_roles");
  const validate = (manager: ObjectValue[string]) =>
    source.validate!({ config: { manager, manager_id: null, roles: null } });

  test("lowercase manager code is valid", () => {
    expect(validate("software_trust")).toEqual([]);
  });

  test("unknown manager value is skipped", () => {
    expect(validate(unknown)).toEqual([]);
  });

  test("uppercase manager code gets a fix", () => {
    const diagnostic = only(validate("Software_Trust"));
    expect(diagnostic.summary).toBe("Invalid manager code");
    expect(diagnostic.path).toEqual(path("manager"));
    expect(diagnostic.detail).toContain('Write "Software_Trust" as "software_trust".');
  });

  test("invalid characters are rejected", () => {
    const diagnostic = only(validate("software trust"));
    expect(diagnostic.summary).toBe("Invalid manager code");
    expect(diagnostic.detail).toContain("Use the manager's code in lowercase.");
  });

  test("empty manager code is rejected", () => {
    expect(only(validate("")).path).toEqual(path("manager"));
  });
});

describe("digicertone_roles read", () => {
  const source = dataSource("digicertone_roles");
  const read = (manager: string, client: DigicertClient, call = context()) =>
    source.read({ config: { manager, manager_id: null, roles: null } }, client, call);

  test("lists roles sorted by code", async () => {
    const { client, requested } = fakeClient();
    const response = await read("software_trust", client);

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual({
      manager: "software_trust",
      manager_id: "software_trust-id",
      roles: [
        {
          id: "sm_admin-id",
          code: "SM_ADMIN",
          name: "SM_ADMIN name",
          permissions: ["MANAGE_SM_RELEASE"],
        },
        { id: "sm_lead-id", code: "SM_LEAD", name: "SM_LEAD name", permissions: [] },
        {
          id: "sm_signer-id",
          code: "SM_SIGNER",
          name: "SM_SIGNER name",
          permissions: ["SIGN_SM_HASH", "VIEW_SM_RELEASE"],
        },
      ],
    });
    expect(requested).toEqual(["software_trust"]);
    expectConforms(source, response.state);
  });

  test("unknown manager lists codes with roles", async () => {
    const { client } = fakeClient();
    const response = await read("dns_trust", client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Unknown manager");
    expect(diagnostic.path).toEqual(path("manager"));
    expect(diagnostic.detail).toBe(
      'DigiCert ONE returned no roles for the manager code "dns_trust", so no such manager exists or the provider\'s API key cannot see it. The manager codes with roles for this API key are "account_manager", "keylocker" and "software_trust". Set manager to one of them.',
    );
    expect(response.state).toBeNull();
  });

  test("unknown manager falls back to known codes", async () => {
    const { client } = fakeClient({ failFor: "keylocker" });
    const response = await read("dns_trust", client);

    expect(only(response.diagnostics).detail).toContain(
      'The manager codes built into this provider are "account_manager", "iot_trust", "keylocker" and "software_trust". Set manager to one of them.',
    );
  });

  test("client error becomes a diagnostic", async () => {
    const { client } = fakeClient({ failFor: "software_trust" });
    const response = await read("software_trust", client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe('Failed to read the roles of manager "software_trust"');
    expect(diagnostic.detail).toContain("refused the connection");
  });

  test("passes the call's signal", async () => {
    const { client, signals } = fakeClient();
    const call = context();
    await read("account_manager", client, call);

    expect(signals).toEqual([call.signal]);
  });

  test("aborted read reports the cancellation", async () => {
    const { client } = fakeClient();
    const controller = new AbortController();
    controller.abort(new Error("Terraform sent StopProvider"));
    const response = await read("account_manager", client, { signal: controller.signal });

    expect(only(response.diagnostics).detail).toContain("cancelled");
  });
});

describe("digicertone_managers", () => {
  test("lists managers with roles sorted by code", async () => {
    const source = dataSource("digicertone_managers");
    const { client, requested } = fakeClient();
    const response = await source.read({ config: { managers: null } }, client, context());

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual({
      managers: [
        { code: "account_manager", id: "account_manager-id", role_codes: ["AM_VIEW_ONLY"] },
        { code: "keylocker", id: "keylocker-id", role_codes: ["KL_KEY_USER"] },
        {
          code: "software_trust",
          id: "software_trust-id",
          role_codes: ["SM_SIGNER", "SM_ADMIN", "SM_LEAD"],
        },
      ],
    });
    expect([...requested].sort()).toEqual([...MANAGER_CODES].sort());
    expectConforms(source, response.state);
  });

  test("defaults to the client's known codes", async () => {
    const logger = createLogger("test", {}, () => {});
    const source = createDataSources({ logger }).find(
      (candidate) => candidate.name === "digicertone_managers",
    )!;
    const { client, requested } = fakeClient();
    await source.read({ config: { managers: null } }, client, context());

    expect([...requested].sort()).toEqual([...knownManagerCodes].sort());
    expect(source.schema.block.description).toContain("`software_trust`");
  });

  test("client error becomes a diagnostic", async () => {
    const source = dataSource("digicertone_managers");
    const { client } = fakeClient({ failFor: "keylocker" });
    const response = await source.read({ config: { managers: null } }, client, context());

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Failed to read the managers");
    expect(response.state).toBeNull();
  });

  test("passes the call's signal", async () => {
    const source = dataSource("digicertone_managers");
    const { client, signals } = fakeClient();
    const call = context();
    await source.read({ config: { managers: null } }, client, call);

    expect(signals).toHaveLength(MANAGER_CODES.length);
    expect(signals.every((signal) => signal === call.signal)).toBe(true);
  });
});
