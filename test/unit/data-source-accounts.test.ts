// The digicertone_accounts and digicertone_account data sources against a
// fake DigiCert ONE client.

import { createDataSources } from "../../provider/src/data-sources";
import { DigicertApiError } from "../../provider/src/digicert/errors";
import type { Account, DigicertClient } from "../../provider/src/digicert/types";
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
import { createProvider } from "../../provider/src/provider";

const ACCOUNTS: Account[] = [
  { id: "b-2", name: "Beta", active: true },
  { id: "a-1", name: "alpha", active: false },
  { id: "a-0", name: "Beta", active: true },
  { id: "z-9", name: "Zeta", active: true },
  { id: "c-3", name: "Acme Platform Engineering", active: true },
];

/** Creates a client whose account calls read `accounts` and record each signal they get. */
function fakeClient(accounts: Account[] = ACCOUNTS) {
  const signals: Array<AbortSignal | undefined> = [];
  const calls: string[] = [];
  const client = {
    async listAccounts(signal?: AbortSignal): Promise<Account[]> {
      calls.push("listAccounts");
      signals.push(signal);
      signal?.throwIfAborted();
      return structuredClone(accounts);
    },
    async getAccount(id: string, signal?: AbortSignal): Promise<Account | null> {
      calls.push(`getAccount ${id}`);
      signals.push(signal);
      signal?.throwIfAborted();
      return structuredClone(accounts.find((account) => account.id === id) ?? null);
    },
  };
  // The data sources call only the methods above.
  return { client: client as unknown as DigicertClient, signals, calls };
}

function dataSource(name: string): DataSourceType<DigicertClient> {
  const logger = createLogger("test", {}, () => {});
  const found = createDataSources({ logger }).find((candidate) => candidate.name === name);
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

/** Throws unless `state` fits the data source's schema, as the plugin server would. */
function expectConforms(source: DataSourceType<DigicertClient>, state: ObjectValue | null) {
  expect(state).not.toBeNull();
  expect(() => encodeMsgpack(state, blockType(source.schema.block))).not.toThrow();
}

describe("provider data sources", () => {
  test("provider registers the data sources", () => {
    const names = createProvider().dataSources.map((source) => source.name);
    expect(names.sort()).toEqual([
      "digicertone_account",
      "digicertone_accounts",
      "digicertone_managers",
      "digicertone_roles",
      "digicertone_service_user",
      "digicertone_service_users",
    ]);
  });

  test("every attribute has a description", () => {
    for (const source of createDataSources()) {
      expect({ source: source.name, description: source.schema.block.description }).toEqual({
        source: source.name,
        description: expect.stringMatching(/\S/),
      });
      const pending = Object.entries(source.schema.block.attributes).map(
        ([name, attribute]) => [`${source.name}.${name}`, attribute] as const,
      );
      while (pending.length > 0) {
        const [name, attribute] = pending.pop()!;
        expect({ name, description: attribute.description }).toEqual({
          name,
          description: expect.stringMatching(/\S/),
        });
        for (const [nestedName, nested] of Object.entries(attribute.nested?.attributes ?? {})) {
          pending.push([`${name}.${nestedName}`, nested]);
        }
      }
    }
  });
});

describe("digicertone_accounts", () => {
  const source = dataSource("digicertone_accounts");

  test("lists accounts sorted by name then id", async () => {
    const { client } = fakeClient();
    const response = await source.read({ config: { accounts: null } }, client, context());

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual({
      accounts: [
        { id: "c-3", name: "Acme Platform Engineering", active: true },
        { id: "a-0", name: "Beta", active: true },
        { id: "b-2", name: "Beta", active: true },
        { id: "z-9", name: "Zeta", active: true },
        { id: "a-1", name: "alpha", active: false },
      ],
    });
    expectConforms(source, response.state);
  });

  test("no accounts gives an empty list", async () => {
    const { client } = fakeClient([]);
    const response = await source.read({ config: { accounts: null } }, client, context());

    expect(response.state).toEqual({ accounts: [] });
    expectConforms(source, response.state);
  });

  test("passes the call's signal", async () => {
    const { client, signals } = fakeClient();
    const call = context();
    await source.read({ config: { accounts: null } }, client, call);

    expect(signals).toEqual([call.signal]);
  });

  test("API error becomes a diagnostic", async () => {
    const client = {
      async listAccounts(): Promise<Account[]> {
        throw new DigicertApiError({
          status: 500,
          code: "internal_error",
          apiMessage: "boom",
          requestId: "req-1",
          method: "GET",
          path: "/account/api/v1/account",
        });
      },
    } as unknown as DigicertClient;
    const response = await source.read({ config: { accounts: null } }, client, context());

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Failed to read the accounts");
    expect(diagnostic.detail).toContain("internal_error");
    expect(diagnostic.detail).toContain("req-1");
    expect(response.state).toBeNull();
  });

  test("aborted read reports the cancellation", async () => {
    const { client } = fakeClient();
    const controller = new AbortController();
    controller.abort(new Error("Terraform sent StopProvider"));
    const response = await source.read({ config: { accounts: null } }, client, {
      signal: controller.signal,
    });

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Failed to read the accounts");
    expect(diagnostic.detail).toContain("cancelled");
  });
});

describe("digicertone_account validation", () => {
  const source = dataSource("digicertone_account");
  const validate = (config: ObjectValue) => source.validate!({ config: { active: null, ...config } });

  test("id alone is valid", () => {
    expect(validate({ id: "a-1", name: null })).toEqual([]);
  });

  test("name alone is valid", () => {
    expect(validate({ id: null, name: "Beta" })).toEqual([]);
  });

  test("both id and name are rejected on name", () => {
    const diagnostic = only(validate({ id: "a-1", name: "Beta" }));
    expect(diagnostic.summary).toBe("Conflicting lookup arguments");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toBe(
      'Both id ("a-1") and name ("Beta") are set. Set exactly one of them: id to look the account up by its id, or name to look it up by its name. Remove one of them.',
    );
  });

  test("neither id nor name is rejected on id", () => {
    const diagnostic = only(validate({ id: null, name: null }));
    expect(diagnostic.summary).toBe("Missing lookup argument");
    expect(diagnostic.path).toEqual(path("id"));
  });

  test("unknown id skips the check", () => {
    expect(validate({ id: unknown, name: null })).toEqual([]);
    expect(validate({ id: unknown, name: "Beta" })).toEqual([]);
    expect(validate({ id: null, name: unknown })).toEqual([]);
  });

  test("empty id and name are rejected", () => {
    expect(only(validate({ id: "", name: null })).path).toEqual(path("id"));
    expect(only(validate({ id: null, name: "" })).path).toEqual(path("name"));
  });

  test("read rejects both without an API call", async () => {
    const { client, calls } = fakeClient();
    const response = await source.read(
      { config: { id: "a-1", name: "Beta", active: null } },
      client,
      context(),
    );

    expect(only(response.diagnostics).summary).toBe("Conflicting lookup arguments");
    expect(calls).toEqual([]);
  });
});

describe("digicertone_account read", () => {
  const source = dataSource("digicertone_account");
  const read = (config: ObjectValue, client: DigicertClient, call = context()) =>
    source.read({ config: { id: null, name: null, active: null, ...config } }, client, call);

  test("finds an account by id", async () => {
    const { client, calls } = fakeClient();
    const response = await read({ id: "a-1" }, client);

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual({ id: "a-1", name: "alpha", active: false });
    expect(calls).toEqual(["getAccount a-1"]);
    expectConforms(source, response.state);
  });

  test("finds an account by exact name", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "Zeta" }, client);

    expect(response.state).toEqual({ id: "z-9", name: "Zeta", active: true });
    expectConforms(source, response.state);
  });

  test("unknown id lists the visible accounts", async () => {
    const { client } = fakeClient();
    const response = await read({ id: "missing" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Account not found");
    expect(diagnostic.path).toEqual(path("id"));
    expect(diagnostic.detail).toBe(
      'No account with id "missing" is visible to the provider\'s API key. The accounts it can see are "Acme Platform Engineering" (id c-3), "Beta" (id a-0), "Beta" (id b-2), "Zeta" (id z-9) and "alpha" (id a-1). Check id, or look the account up by name.',
    );
    expect(response.state).toBeNull();
  });

  test("unknown id without a list still fails", async () => {
    const client = {
      async getAccount() {
        return null;
      },
      async listAccounts(): Promise<Account[]> {
        throw new Error("list failed");
      },
    } as unknown as DigicertClient;
    const response = await read({ id: "missing" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Account not found");
    expect(diagnostic.detail).not.toContain("can see are");
  });

  test("unknown name lists the visible accounts", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "Gamma" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Account not found");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toBe(
      'No account named "Gamma" is visible to the provider\'s API key. The accounts it can see are "Acme Platform Engineering" (id c-3), "Beta" (id a-0), "Beta" (id b-2), "Zeta" (id z-9) and "alpha" (id a-1). Check name, which must match exactly, including letter case, or look the account up by id.',
    );
  });

  test("no visible accounts says so", async () => {
    const { client } = fakeClient([]);
    const response = await read({ name: "Gamma" }, client);

    expect(only(response.diagnostics).detail).toContain("API key. It can see no accounts. Check name");
  });

  test("name in other letter case is named in the error", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "acme platform engineering" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Account not found");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toBe(
      'No account is named "acme platform engineering", but the account "Acme Platform Engineering" differs from it only in letter case. Account names must match exactly, including letter case. Set name = "Acme Platform Engineering".',
    );
    expect(response.state).toBeNull();
  });

  test("exact name beats a letter-case match", async () => {
    const { client } = fakeClient([
      { id: "x-1", name: "ALPHA", active: true },
      { id: "x-2", name: "alpha", active: true },
    ]);
    const response = await read({ name: "alpha" }, client);

    expect(response.state).toEqual({ id: "x-2", name: "alpha", active: true });
  });

  test("name of several accounts is ambiguous", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "Beta" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Ambiguous account name");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toContain("b-2 and a-0");
    expect(diagnostic.detail).toContain("Look the account up by id instead.");
  });

  test("passes the call's signal", async () => {
    const { client, signals } = fakeClient();
    const call = context();
    await read({ id: "missing" }, client, call);

    expect(signals).toEqual([call.signal, call.signal]);
  });

  test("access_denied gets read advice", async () => {
    const client = {
      async listAccounts(): Promise<Account[]> {
        throw new DigicertApiError({
          status: 403,
          code: "access_denied",
          apiMessage: "The caller may not view accounts.",
          requestId: "req-7",
          method: "GET",
          path: "/account/api/v1/account",
        });
      },
    } as unknown as DigicertClient;
    const response = await read({ name: "Beta" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe('Failed to read account "Beta"');
    expect(diagnostic.detail).toBe(
      "DigiCert ONE returned access_denied (HTTP 403) to GET /account/api/v1/account: The caller may not view accounts. Request id: req-7.\n\n" +
        "The user that owns the API key lacks a permission that this read needs. Reading accounts, roles and service users needs a role with the Account Manager's view permissions. Use the API key of such a user, or ask a DigiCert ONE administrator to grant such a role.",
    );
    expect(diagnostic.detail).not.toContain("Manage users");
  });
});
