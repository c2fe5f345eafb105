// Shared validators and diagnostic builders.

import { path, unknown } from "../../provider/src/framework/types";
import { validateStringSet } from "../../provider/src/validation/collections";
import {
  calendarDateProblem,
  daysInMonth,
  utcDay,
  validateCalendarDate,
} from "../../provider/src/validation/dates";
import {
  formatValue,
  invalidValue,
  joinWithAnd,
  quote,
} from "../../provider/src/validation/diagnostics";
import {
  characterCount,
  describeCharacters,
  emailProblem,
  findInvalidCharacters,
} from "../../provider/src/validation/strings";
import {
  isLoopbackHost,
  serviceUrlOrigin,
  serviceUrlProblem,
} from "../../provider/src/validation/url";

describe("diagnostic builders", () => {
  test.each([
    [[], ""],
    [["a"], "a"],
    [["a", "b"], "a and b"],
    [["a", "b", "c"], "a, b and c"],
  ])("joinWithAnd %j", (items, expected) => {
    expect(joinWithAnd(items)).toBe(expected);
  });

  test("quote escapes control characters", () => {
    expect(quote("a\tb\u0007")).toBe('"a\\tb\\u0007"');
  });

  test("invalidValue joins the parts", () => {
    const diagnostic = invalidValue({
      path: path("name"),
      summary: "Invalid name",
      problem: "The name is bad.",
      allowed: "Names are good.",
      fix: "Fix it.",
    });

    expect(diagnostic).toEqual({
      severity: "error",
      summary: "Invalid name",
      detail: "The name is bad. Names are good. Fix it.",
      path: path("name"),
    });
  });

  test("formatValue shows unknowns", () => {
    expect(formatValue(["a", unknown])).toBe('["a","(known after apply)"]');
    expect(formatValue("x")).toBe('"x"');
    expect(formatValue(null)).toBe("null");
  });
});

describe("string validators", () => {
  const isAscii = (character: string) => /^[a-z]$/.test(character);

  test("invalid characters are distinct and ordered", () => {
    expect(findInvalidCharacters("a!b?c!", isAscii)).toEqual(["!", "?"]);
  });

  test("emoji counts as one character", () => {
    expect(findInvalidCharacters("a🤖", isAscii)).toEqual(["🤖"]);
    expect(characterCount("a🤖")).toBe(2);
  });

  test("characters are described as a list", () => {
    expect(describeCharacters(["é", "!", "\t"])).toBe('"é", "!" and "\\t"');
  });

  test.each([
    "platform-team@example.com",
    "a.b+tag@sub.example.co.uk",
    "x@y.z",
  ])("email %s is valid", (email) => {
    expect(emailProblem(email)).toBeUndefined();
  });

  test.each([
    ["", "is empty"],
    ["platform-team", 'has no "@"'],
    ["a@b@example.com", 'more than one "@"'],
    ["@example.com", 'nothing before the "@"'],
    ["team@", "no domain"],
    ["team@localhost", "without a dot"],
    ["team@.example.com", "empty label"],
    ["team@example.com.", "empty label"],
    ["team @example.com", "space"],
    ["team@exam\u0000ple.com", "control character"],
    [`${"a".repeat(65)}@example.com`, "more than 64 characters"],
    [`a@${"b".repeat(250)}.com`, "longer than 254"],
  ])("email %j is invalid", (email, reason) => {
    expect(emailProblem(email)).toContain(reason);
  });
});

describe("date validators", () => {
  test("utcDay uses the UTC day", () => {
    expect(utcDay(new Date("2026-12-04T23:59:59-05:00"))).toBe("2026-12-05");
  });

  test.each([
    [2027, 2, 28],
    [2028, 2, 29],
    [2100, 2, 28],
    [2000, 2, 29],
    [0, 2, 29],
    [4, 2, 29],
    [2027, 4, 30],
    [2027, 12, 31],
  ])("daysInMonth %i-%i", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  test.each(["2027-01-01", "2028-02-29", "2027-12-31"])("%s is a date", (date) => {
    expect(calendarDateProblem(date)).toBeUndefined();
  });

  test.each([
    ["2027-02-30", "February 2027 has days 01 to 28"],
    ["2027-00-10", "month 00"],
    ["2027-04-31", "April 2027"],
    ["2027-04-00", "April 2027"],
    ["27-01-01", "YYYY-MM-DD"],
    ["2027/01/01", "YYYY-MM-DD"],
    ["2027-01-01Z", "YYYY-MM-DD"],
    ["2027-01-01T00:00:00Z", "time or time zone"],
    ["2027-01-01 10:00", "time or time zone"],
    [" 2027-01-01", "YYYY-MM-DD"],
    ["", "YYYY-MM-DD"],
  ])("%j is not a date", (date, reason) => {
    expect(calendarDateProblem(date)).toContain(reason);
  });

  test("notBefore rejects earlier days only", () => {
    const check = (value: string) =>
      validateCalendarDate(value, path("d"), { attributeName: "d", notBefore: "2026-12-04" });

    expect(check("2026-12-03")).toHaveLength(1);
    expect(check("2026-12-04")).toEqual([]);
    expect(check("2026-12-05")).toEqual([]);
  });

  test("unknown and null dates are skipped", () => {
    const options = { attributeName: "d", notBefore: "2026-12-04" };

    expect(validateCalendarDate(unknown, path("d"), options)).toEqual([]);
    expect(validateCalendarDate(null, path("d"), options)).toEqual([]);
  });
});

describe("set validator", () => {
  const rule = {
    setName: "codes",
    elementNoun: "code",
    emptyReason: "Codes are needed.",
    example: 'codes = ["A"]',
    elementRule: { pattern: /^[A-Z]+$/, description: "uppercase letters", example: "A" },
  };

  test("empty set is rejected", () => {
    const [diagnostic] = validateStringSet([], path("codes"), rule);

    expect(diagnostic.path).toEqual(path("codes"));
    expect(diagnostic.detail).toContain("at least one code");
  });

  test("invalid elements are listed", () => {
    const [diagnostic] = validateStringSet(["A", "b", "c1"], path("codes"), rule);

    expect(diagnostic.detail).toContain('"b" and "c1"');
  });

  test("empty string and pattern are separate errors", () => {
    expect(validateStringSet(["", "b"], path("codes"), rule)).toHaveLength(2);
  });

  test("unknown elements are skipped", () => {
    expect(validateStringSet(["A", unknown], path("codes"), rule)).toEqual([]);
    expect(validateStringSet(unknown, path("codes"), rule)).toEqual([]);
  });
});

describe("url validators", () => {
  test.each([
    ["localhost", true],
    ["LOCALHOST", true],
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["[::1]", true],
    ["127.0.0.1.nip.io", false],
    ["128.0.0.1", false],
    ["[::ffff:7f00:1]", false],
    ["one.digicert.com", false],
  ])("isLoopbackHost %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  test("shorthand loopback address is accepted", () => {
    expect(serviceUrlProblem("http://127.1:8080")).toBeUndefined();
  });

  test("trailing slash is dropped from the origin", () => {
    expect(serviceUrlOrigin("https://one.digicert.com/")).toBe("https://one.digicert.com");
  });

  test("fragment is rejected", () => {
    expect(serviceUrlProblem("https://one.digicert.com#x")).toContain("fragment");
  });
});
