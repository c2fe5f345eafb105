import {
  ACCOUNT_IDS,
  APPLICATION_IDS,
  ROLE_IDS,
} from "../../emulator/src/catalogue";
import { RunningEmulator, startEmulator } from "../../emulator/src/server";
import {
  ManualClock,
  callApi,
  createServiceUser,
  validCreateBody,
} from "../../emulator/test/client";

// Today is 2030-01-15 (UTC) in every case below.
const clock = new ManualClock(new Date("2030-01-15T08:00:00Z"));
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

interface RejectedCase {
  name: string;
  overrides: Record<string, unknown>;
  /** Pattern each rejected body's single error message must match. */
  message: RegExp;
}

const REJECTED: RejectedCase[] = [
  { name: "missing friendly_name", overrides: { friendly_name: undefined }, message: /^friendly_name is required/ },
  { name: "null friendly_name", overrides: { friendly_name: null }, message: /^friendly_name is required/ },
  { name: "numeric friendly_name", overrides: { friendly_name: 42 }, message: /^friendly_name must be a string, but the request sent a number/ },
  { name: "empty friendly_name", overrides: { friendly_name: "" }, message: /^friendly_name must not be empty/ },
  { name: "65-character friendly_name", overrides: { friendly_name: "a".repeat(65) }, message: /^friendly_name is 65 characters long, but at most 64/ },
  { name: "friendly_name with dot and at", overrides: { friendly_name: "bot.v2@ci" }, message: /^friendly_name "bot\.v2@ci" contains characters that are not allowed: "\.", "@"\. Use only letters/ },
  { name: "friendly_name with accent", overrides: { friendly_name: "café" }, message: /not allowed: "é"/ },
  { name: "friendly_name with tab", overrides: { friendly_name: "a\tb" }, message: /not allowed: "\\t"/ },
  { name: "missing email", overrides: { email: undefined }, message: /^email is required/ },
  { name: "email without at sign", overrides: { email: "platform-team.example.com" }, message: /^email "platform-team\.example\.com" is not a valid email address/ },
  { name: "email without domain dot", overrides: { email: "team@localhost" }, message: /is not a valid email address/ },
  { name: "email with space", overrides: { email: "team lead@example.com" }, message: /is not a valid email address/ },
  { name: "email as array", overrides: { email: ["a@example.com"] }, message: /^email must be a string, but the request sent an array/ },
  { name: "numeric description", overrides: { description: 7 }, message: /^description must be a string/ },
  { name: "missing accounts", overrides: { accounts: undefined }, message: /^accounts is required/ },
  { name: "empty accounts", overrides: { accounts: [] }, message: /^accounts must contain at least one account id/ },
  { name: "accounts as string", overrides: { accounts: ACCOUNT_IDS.platformEngineering }, message: /^accounts must be an array/ },
  { name: "unknown account", overrides: { accounts: [UNKNOWN_ID] }, message: /^accounts\[0\] "00000000-0000-4000-8000-000000000000" is not a known account/ },
  { name: "repeated account", overrides: { accounts: [ACCOUNT_IDS.platformEngineering, ACCOUNT_IDS.platformEngineering] }, message: /^accounts\[1\] .* is listed more than once/ },
  { name: "numeric primary_account_id", overrides: { primary_account_id: 1 }, message: /^primary_account_id must be an account id string/ },
  { name: "missing applications", overrides: { applications: undefined }, message: /^applications is required/ },
  { name: "empty applications", overrides: { applications: [] }, message: /^applications must contain at least one application/ },
  { name: "application as string", overrides: { applications: [APPLICATION_IDS.software_trust] }, message: /^applications\[0\] must be an object/ },
  { name: "unknown application", overrides: { applications: [{ id: UNKNOWN_ID, roles: [{ id: ROLE_IDS.SM_SIGNER }] }] }, message: /^applications\[0\]\.id "00000000-0000-4000-8000-000000000000" is not a known application/ },
  { name: "application without roles", overrides: { applications: [{ id: APPLICATION_IDS.software_trust }] }, message: /^applications\[0\]\.roles must be an array with at least one role of software_trust/ },
  { name: "application with empty roles", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [] }] }, message: /^applications\[0\]\.roles must be an array with at least one role/ },
  { name: "role without id", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [{}] }] }, message: /^applications\[0\]\.roles\[0\] must be an object \{"id": "<role id>"\}, but the request sent an object without id/ },
  { name: "role as bare id", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [ROLE_IDS.SM_SIGNER] }] }, message: /^applications\[0\]\.roles\[0\] must be an object .* but the request sent a string/ },
  { name: "unknown role", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [{ id: UNKNOWN_ID }] }] }, message: /^applications\[0\]\.roles\[0\]\.id .* is not a known role/ },
  { name: "role of another application", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [{ id: ROLE_IDS.EM_ADMIN }] }] }, message: /is role EM_ADMIN of trust_lifecycle, not of software_trust/ },
  { name: "repeated role", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [{ id: ROLE_IDS.SM_SIGNER }, { id: ROLE_IDS.SM_SIGNER }] }] }, message: /^applications\[0\]\.roles\[1\]\.id .* \(SM_SIGNER\) is listed more than once/ },
  { name: "repeated application", overrides: { applications: [{ id: APPLICATION_IDS.software_trust, roles: [{ id: ROLE_IDS.SM_SIGNER }] }, { id: APPLICATION_IDS.software_trust, roles: [{ id: ROLE_IDS.SM_LEAD }] }] }, message: /^applications\[1\]\.id .* \(software_trust\) is listed more than once/ },
  { name: "end_date with slashes", overrides: { end_date: "2030/06/30" }, message: /^end_date "2030\/06\/30" is not in the form YYYY-MM-DD/ },
  { name: "end_date with time", overrides: { end_date: "2030-06-30T00:00:00Z" }, message: /is not in the form YYYY-MM-DD/ },
  { name: "end_date without padding", overrides: { end_date: "2030-6-30" }, message: /is not in the form YYYY-MM-DD/ },
  { name: "end_date February 30", overrides: { end_date: "2030-02-30" }, message: /^end_date "2030-02-30" is not a real calendar date/ },
  { name: "end_date month 13", overrides: { end_date: "2030-13-01" }, message: /is not a real calendar date/ },
  { name: "end_date in year 30", overrides: { end_date: "0030-01-15" }, message: /^end_date "0030-01-15" is before today/ },
  { name: "end_date yesterday", overrides: { end_date: "2030-01-14" }, message: /^end_date "2030-01-14" is before today \(2030-01-15 UTC\)/ },
  { name: "numeric end_date", overrides: { end_date: 20300630 }, message: /^end_date must be a string in the form YYYY-MM-DD or null/ },
  { name: "user_type standard", overrides: { user_type: "standard" }, message: /^user_type must be "service"/ },
];

describe("emulator validation", () => {
  let emulator: RunningEmulator;
  // Gives each created user a unique friendly_name.
  let userCount = 0;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  test.each(REJECTED)("create rejects $name", async ({ overrides, message }) => {
    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody(overrides),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(message);
  });

  test.each(REJECTED)("update rejects $name", async ({ overrides, message }) => {
    const created = await createServiceUser(emulator, {
      friendly_name: `target-${++userCount}`,
    });

    const response = await callApi(emulator, "PUT", `/user/${created.id}`, {
      json: validCreateBody(overrides),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("invalid_request");
    expect(response.body.errors[0].message).toMatch(message);
    await callApi(emulator, "DELETE", `/user/${created.id}`);
  });

  test("every problem is reported at once", async () => {
    const response = await callApi(emulator, "POST", "/user", {
      json: { friendly_name: "bad!", email: "nope", accounts: [], applications: [] },
    });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((entry: any) => entry.message.split(" ")[0])).toEqual([
      "friendly_name",
      "email",
      "accounts",
      "applications",
    ]);
  });

  test("rejected create stores nothing", async () => {
    const before = emulator.serviceUsers().length;

    await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ friendly_name: "stored?", email: "x" }),
    });

    expect(emulator.serviceUsers()).toHaveLength(before);
  });

  test.each([
    ["64-character name", { friendly_name: "b".repeat(64) }],
    ["one-character name", { friendly_name: "x" }],
    ["name with space, dash, underscore", { friendly_name: "Ci Bot_2-prod" }],
    ["end_date today", { end_date: "2030-01-15" }],
    ["end_date on leap day", { end_date: "2032-02-29" }],
    ["unknown fields", { friendly_name: "extra-fields", colour: "blue", nested: { a: 1 } }],
    ["null description", { friendly_name: "null-description", description: null }],
    ["omitted user_type", { friendly_name: "no-user-type", user_type: undefined }],
    ["plus-addressed email", { friendly_name: "plus-email", email: "ci+signing@mail.example.co.uk" }],
  ])("create accepts %s", async (_name, overrides) => {
    const response = await callApi(emulator, "POST", "/user", {
      json: validCreateBody({ friendly_name: `accept-${++userCount}`, ...overrides }),
    });

    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty("colour");
    await callApi(emulator, "DELETE", `/user/${response.body.id}`);
  });
});
