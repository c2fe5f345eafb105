// Environment checks of `npm start` that pick the emulator or a tenant.

import { parseStartOptions, UsageError } from "../../scripts/start/options";

const root = "/repo";
const tenant = { DIGICERT_ONE_URL: "http://127.0.0.1:8080", DIGICERT_ONE_API_KEY: "key" };

describe("parseStartOptions target", () => {
  test("uses the embedded emulator without tenant variables", () => {
    const options = parseStartOptions([], {}, root);

    expect(options).toMatchObject({ target: { kind: "emulator", port: 0 } });
  });

  test("targets the URL with account names", () => {
    const env = { ...tenant, TF_VAR_account_names: '["Acme Platform Engineering"]' };

    const options = parseStartOptions([], env, root);

    expect(options).toMatchObject({ target: { kind: "tenant", url: "http://127.0.0.1:8080" } });
  });

  test("names the URL when account names are missing", () => {
    const parse = () => parseStartOptions([], tenant, root);

    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(
      "TF_VAR_account_names is not set, but DIGICERT_ONE_URL=http://127.0.0.1:8080 (with DIGICERT_ONE_API_KEY) selects tenant mode, " +
        "where the example's default account names do not apply: they exist only in the emulator that npm start runs itself. " +
        "To use that emulator, unset DIGICERT_ONE_URL and DIGICERT_ONE_API_KEY. " +
        `To use http://127.0.0.1:8080, set TF_VAR_account_names to a JSON list of its account names, such as TF_VAR_account_names='["<account name>"]'. ` +
        "For an emulator you started with npm run emulator, emulator/README.md lists the seeded account names.",
    );
  });

  test("omits the emulator hint for a remote URL", () => {
    const env = { ...tenant, DIGICERT_ONE_URL: "https://one.digicert.com" };

    const parse = () => parseStartOptions([], env, root);

    expect(parse).toThrow("DIGICERT_ONE_URL=https://one.digicert.com (with DIGICERT_ONE_API_KEY)");
    expect(parse).not.toThrow("emulator/README.md");
  });

  test("rejects a URL with a password first", () => {
    const env = { ...tenant, DIGICERT_ONE_URL: "https://user:secret@one.digicert.com" };

    const parse = () => parseStartOptions([], env, root);

    expect(parse).toThrow("DIGICERT_ONE_URL contains a user name or password");
    expect(parse).not.toThrow("secret");
  });
});
