// Validation of digicertone_service_user configurations: every bad input is
// an error on its attribute whose message names the value, and unknown
// values are skipped.

import {
  path,
  unknown,
  type AttributePath,
  type CtyValue,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createServiceUserResource } from "../../provider/src/resources/service-user";

const NOW = new Date("2026-12-04T23:30:00Z");
const resource = createServiceUserResource({ now: () => NOW });

function config(overrides: ObjectValue = {}): ObjectValue {
  return {
    id: null,
    name: "release-signing_bot 2",
    description: null,
    email: "platform-team@example.com",
    expiration_date: "2027-06-30",
    expires_at: null,
    account_ids: ["acc-a"],
    primary_account_id: null,
    access: { software_trust: { roles: ["SM_SIGNER"] } },
    status: null,
    created_at: null,
    token: null,
    ...overrides,
  };
}

function validate(overrides: ObjectValue) {
  return resource.validate!({ config: config(overrides) });
}

interface BadCase {
  title: string;
  attribute: string;
  value: CtyValue;
  path: AttributePath;
  /** Texts the detail must contain, such as the quoted value. */
  mentions: string[];
}

const CASES: BadCase[] = [
  { title: "accented name", attribute: "name", value: "déploiement bot", path: path("name"), mentions: ['"déploiement bot"', '"é"'] },
  { title: "emoji name", attribute: "name", value: "bot 🤖", path: path("name"), mentions: ['"bot 🤖"', '"🤖"'] },
  { title: "punctuation name", attribute: "name", value: "ci.bot!", path: path("name"), mentions: ['"ci.bot!"', '"." and "!"'] },
  { title: "tab in name", attribute: "name", value: "ci\tbot", path: path("name"), mentions: ['"ci\\tbot"', '"\\t"'] },
  { title: "bell in name", attribute: "name", value: "ci\u0007bot", path: path("name"), mentions: ['"\\u0007"'] },
  { title: "leading space", attribute: "name", value: " ci bot", path: path("name"), mentions: ['" ci bot"', "space"] },
  { title: "trailing space", attribute: "name", value: "ci bot ", path: path("name"), mentions: ['"ci bot "', "space"] },
  { title: "empty name", attribute: "name", value: "", path: path("name"), mentions: ["name is empty"] },
  { title: "65-character name", attribute: "name", value: "a".repeat(65), path: path("name"), mentions: ["a".repeat(65), "65 characters", "64"] },
  { title: "email without @", attribute: "email", value: "platform-team", path: path("email"), mentions: ['"platform-team"', '"@"'] },
  { title: "email with space", attribute: "email", value: "platform team@example.com", path: path("email"), mentions: ['"platform team@example.com"', "space"] },
  { title: "email with two @", attribute: "email", value: "a@b@example.com", path: path("email"), mentions: ['"a@b@example.com"', "more than one"] },
  { title: "email without local part", attribute: "email", value: "@example.com", path: path("email"), mentions: ['"@example.com"'] },
  { title: "email without domain", attribute: "email", value: "team@", path: path("email"), mentions: ['"team@"', "no domain"] },
  { title: "email domain without dot", attribute: "email", value: "team@localhost", path: path("email"), mentions: ['"localhost"'] },
  { title: "email domain with empty label", attribute: "email", value: "team@example..com", path: path("email"), mentions: ["empty label"] },
  { title: "impossible date", attribute: "expiration_date", value: "2027-02-30", path: path("expiration_date"), mentions: ['"2027-02-30"', "February 2027"] },
  { title: "month 13", attribute: "expiration_date", value: "2027-13-01", path: path("expiration_date"), mentions: ['"2027-13-01"', "month 13"] },
  { title: "two-digit year", attribute: "expiration_date", value: "27-01-01", path: path("expiration_date"), mentions: ['"27-01-01"', "YYYY-MM-DD"] },
  { title: "single-digit month", attribute: "expiration_date", value: "2027-1-01", path: path("expiration_date"), mentions: ['"2027-1-01"', "YYYY-MM-DD"] },
  { title: "date with time zone", attribute: "expiration_date", value: "2027-01-01T00:00:00+02:00", path: path("expiration_date"), mentions: ['"2027-01-01T00:00:00+02:00"', "time zone", "YYYY-MM-DD"] },
  { title: "empty account_ids", attribute: "account_ids", value: [], path: path("account_ids"), mentions: ["at least one"] },
  { title: "empty account id", attribute: "account_ids", value: ["acc-a", ""], path: path("account_ids"), mentions: ["empty string"] },
  { title: "empty access", attribute: "access", value: {}, path: path("access"), mentions: ["at least one manager"] },
  { title: "empty roles", attribute: "access", value: { software_trust: { roles: [] } }, path: path("access", { key: "software_trust" }), mentions: ["at least one role"] },
  { title: "uppercase manager code", attribute: "access", value: { Software_Trust: { roles: ["SM_SIGNER"] } }, path: path("access", { key: "Software_Trust" }), mentions: ['"Software_Trust"'] },
  { title: "lowercase role code", attribute: "access", value: { software_trust: { roles: ["sm_signer"] } }, path: path("access", { key: "software_trust" }), mentions: ['"sm_signer"', "uppercase"] },
  { title: "null manager entry", attribute: "access", value: { software_trust: null }, path: path("access", { key: "software_trust" }), mentions: ["at least one role"] },
  { title: "primary not in accounts", attribute: "primary_account_id", value: "acc-z", path: path("primary_account_id"), mentions: ['"acc-z"', "account_ids"] },
  { title: "empty primary", attribute: "primary_account_id", value: "", path: path("primary_account_id"), mentions: ["empty"] },
];

describe("service user validation", () => {
  test.each(CASES)("$title is rejected", (badCase) => {
    const diagnostics = validate({ [badCase.attribute]: badCase.value });
    const [diagnostic] = diagnostics;

    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(badCase.path);
    for (const text of badCase.mentions) {
      expect(diagnostic.detail).toContain(text);
    }
  });

  test("valid config has no diagnostics", () => {
    expect(validate({})).toEqual([]);
  });

  test("today is a valid expiration date", () => {
    expect(validate({ expiration_date: "2026-12-04" })).toEqual([]);
  });

  test("past date passes validate", () => {
    // Checked at plan time instead, and only when the date is new.
    expect(validate({ expiration_date: "2026-12-03" })).toEqual([]);
  });

  test("leap day is a valid date", () => {
    expect(validate({ expiration_date: "2028-02-29" })).toEqual([]);
  });

  test("64-character name is valid", () => {
    expect(validate({ name: "a".repeat(64) })).toEqual([]);
  });

  test("name problems are all reported", () => {
    const diagnostics = validate({ name: ` ${"é".repeat(64)}` });

    expect(diagnostics).toHaveLength(3);
  });

  test("primary among accounts is valid", () => {
    expect(validate({ account_ids: ["acc-a", "acc-b"], primary_account_id: "acc-b" })).toEqual([]);
  });

  test.each([
    ["name", unknown],
    ["email", unknown],
    ["expiration_date", unknown],
    ["account_ids", unknown],
    ["account_ids", [unknown]],
    ["primary_account_id", unknown],
    ["access", unknown],
    ["access", { software_trust: unknown }],
    ["access", { software_trust: { roles: unknown } }],
    ["access", { software_trust: { roles: ["SM_SIGNER", unknown] } }],
  ])("unknown %s is skipped", (attribute, value) => {
    expect(validate({ [attribute]: value })).toEqual([]);
  });

  test("primary check waits for unknown account ids", () => {
    expect(validate({ account_ids: ["acc-a", unknown], primary_account_id: "acc-z" })).toEqual([]);
  });
});

describe("code letter case", () => {
  test("lowercase role code suggests uppercase", () => {
    const [diagnostic, ...others] = validate({
      access: { trust_lifecycle: { roles: ["em_user"] } },
    });

    expect(others).toEqual([]);
    expect(diagnostic.path).toEqual(path("access", { key: "trust_lifecycle" }));
    expect(diagnostic.detail).toBe(
      'access["trust_lifecycle"].roles contains "em_user", but a role code must be uppercase. ' +
        "A role code has uppercase letters, digits and underscores, starting with a letter. " +
        'Write "em_user" as "EM_USER".',
    );
  });

  test("lowercase role codes get one fix each", () => {
    const [diagnostic] = validate({
      access: { trust_lifecycle: { roles: ["em_user", "Em_Admin"] } },
    });

    expect(diagnostic.detail).toContain('Write "em_user" as "EM_USER" and "Em_Admin" as "EM_ADMIN".');
    expect(diagnostic.detail).not.toContain("SM_SIGNER");
  });

  test("role code with a hyphen keeps the example", () => {
    const [diagnostic] = validate({
      access: { software_trust: { roles: ["sm-signer"] } },
    });

    expect(diagnostic.detail).toContain('contains an invalid value: "sm-signer".');
    expect(diagnostic.detail).toContain('such as "SM_SIGNER"');
    expect(diagnostic.detail).not.toContain("Write");
  });

  test("mixed role codes fix the convertible one", () => {
    const [diagnostic] = validate({
      access: { trust_lifecycle: { roles: ["em_user", "em-user"] } },
    });

    expect(diagnostic.detail).toContain('invalid values: "em_user" and "em-user".');
    expect(diagnostic.detail).toContain('A role code must be uppercase. Write "em_user" as "EM_USER".');
  });

  test("non-ASCII letter is not converted", () => {
    // "ı".toUpperCase() is "I", which would suggest a different code.
    const [diagnostic] = validate({
      access: { trust_lifecycle: { roles: ["emı_user"] } },
    });

    expect(diagnostic.detail).toContain('contains an invalid value: "emı_user".');
    expect(diagnostic.detail).not.toContain("Write");
  });

  test("uppercase manager code suggests lowercase", () => {
    const [diagnostic] = validate({
      access: { Software_Trust: { roles: ["SM_SIGNER"] } },
    });

    expect(diagnostic.detail).toContain('Write "Software_Trust" as "software_trust".');
  });
});
