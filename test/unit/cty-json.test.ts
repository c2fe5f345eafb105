import {
  BigDecimal,
  CtyType,
  CtyValue,
  DynamicValue,
  Unknown,
} from "../../provider/src/framework/types";
import {
  CtyCodecError,
  decodeJson,
  encodeJson,
} from "../../provider/src/plugin/cty";

/** Runs `action` and returns the CtyCodecError it throws. */
function codecError(action: () => unknown): CtyCodecError {
  try {
    action();
  } catch (error) {
    if (error instanceof CtyCodecError) return error;
    throw error;
  }
  throw new Error("expected a CtyCodecError, but nothing was thrown");
}

const stateType: CtyType = [
  "object",
  {
    id: "string",
    serial: "number",
    enabled: "bool",
    labels: ["map", "string"],
    scopes: ["set", "string"],
    contacts: ["list", ["object", { email: "string", phone: "string" }]],
  },
];

describe("decodeJson numbers", () => {
  const cases: Array<[string, string, CtyValue]> = [
    ["integer beyond 2^64", "12345678901234567890", 12345678901234567890n],
    ["2^63-1", "9223372036854775807", 2n ** 63n - 1n],
    ["-(2^63)", "-9223372036854775808", -(2n ** 63n)],
    ["2^64-1", "18446744073709551615", 2n ** 64n - 1n],
    ["30-digit integer", "123456789012345678901234567890", 123456789012345678901234567890n],
    ["30-digit integer as string", '"123456789012345678901234567890"', 123456789012345678901234567890n],
    ["long decimal", "0.1000000000000000000001", new BigDecimal("0.1000000000000000000001")],
    ["long decimal as string", '"3.14159265358979323846"', new BigDecimal("3.14159265358979323846")],
    ["safe integer", "42", 42],
    ["integer as string", '"42"', 42],
    ["tenth", "0.1", 0.1],
    ["negative float", "-2.5", -2.5],
    ["exponent", "1.5e3", 1500],
    ["negative exponent", "25e-1", 2.5],
    ["integer-valued decimal", "2.000", 2],
    ["max safe integer", "9007199254740991", Number.MAX_SAFE_INTEGER],
    ["just beyond safe", "9007199254740992", 2n ** 53n],
  ];

  test.each(cases)("%s", (_name, json, expected) => {
    expect(decodeJson(json, "number")).toStrictEqual(expected);
  });

  test("invalid number text", () => {
    const error = codecError(() => decodeJson('"hunter2"', "number"));

    expect(error.code).toBe("INVALID_NUMBER");
    expect(error.message).not.toContain("hunter2");
  });

  test("exponent out of range", () => {
    const error = codecError(() => decodeJson("1e99999999999999999999", "number"));

    expect(error.code).toBe("INVALID_NUMBER");
  });
});

describe("decodeJson objects", () => {
  test("missing attributes are null", () => {
    const decoded = decodeJson('{"id":"a","contacts":[{"email":"e"}]}', stateType);

    expect(decoded).toStrictEqual({
      id: "a",
      serial: null,
      enabled: null,
      labels: null,
      scopes: null,
      contacts: [{ email: "e", phone: null }],
    });
  });

  test("unexpected attribute fails", () => {
    const error = codecError(() =>
      decodeJson('{"id":"a","contacts":[{"email":"e","fax":"f"}]}', stateType),
    );

    expect(error.code).toBe("UNEXPECTED_ATTRIBUTE");
    expect(error.path).toEqual([
      { attribute: "contacts" },
      { index: 0 },
      { attribute: "fax" },
    ]);
    expect(error.message).toBe('contacts[0].fax: the object type has no attribute "fax"');
  });

  test("unexpected attributes ignored at any depth", () => {
    const json = '{"id":"a","removed":1,"contacts":[{"email":"e","fax":"f"}]}';

    const decoded = decodeJson(json, stateType, { ignoreUnknownAttributes: true });

    expect(decoded).toStrictEqual({
      id: "a",
      serial: null,
      enabled: null,
      labels: null,
      scopes: null,
      contacts: [{ email: "e", phone: null }],
    });
  });

  test("full state", () => {
    const json = JSON.stringify({
      id: "u-1",
      serial: 7,
      enabled: true,
      labels: { env: "prod" },
      scopes: ["read", "write"],
      contacts: [],
    });

    expect(decodeJson(json, stateType)).toStrictEqual({
      id: "u-1",
      serial: 7,
      enabled: true,
      labels: { env: "prod" },
      scopes: ["read", "write"],
      contacts: [],
    });
  });

  test("__proto__ map key stays an own key", () => {
    const decoded = decodeJson('{"__proto__":"x","a":"y"}', ["map", "string"]) as {
      [key: string]: CtyValue;
    };

    expect(Object.keys(decoded)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  test("wrong type deep in an object", () => {
    const error = codecError(() =>
      decodeJson('{"labels":{"env":["prod"]}}', stateType),
    );

    expect(error.code).toBe("TYPE_MISMATCH");
    expect(error.path).toEqual([{ attribute: "labels" }, { key: "env" }]);
    expect(error.detail).toBe("expected a string, got a JSON array");
  });
});

describe("decodeJson conversions", () => {
  const cases: Array<[string, string, CtyType, CtyValue]> = [
    ["number to string", "12345678901234567890", "string", "12345678901234567890"],
    ["bool to string", "true", "string", "true"],
    ["string to bool", '"false"', "bool", false],
    ["null", "null", ["list", "string"], null],
    ["tuple", '["a",1,true]', ["tuple", ["string", "number", "bool"]], ["a", 1, true]],
    ["escaped string", '"a\\"b\\u2028\\ud83d\\udc22"', "string", 'a"b\u2028🐢'],
    ["whitespace", ' \n{ "a" : [ 1 , 2 ] }\t', ["object", { a: ["list", "number"] }], { a: [1, 2] }],
  ];

  test.each(cases)("%s", (_name, json, type, expected) => {
    expect(decodeJson(json, type)).toStrictEqual(expected);
  });

  test("UTF-8 bytes", () => {
    const bytes = new TextEncoder().encode('{"a":"żółw"}');

    expect(decodeJson(bytes, ["map", "string"])).toStrictEqual({ a: "żółw" });
  });

  test("invalid UTF-8 bytes", () => {
    const error = codecError(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]), "string"));

    expect(error.code).toBe("INVALID_JSON");
  });

  test("string is not a bool", () => {
    expect(codecError(() => decodeJson('"yes"', "bool")).code).toBe("TYPE_MISMATCH");
  });
});

describe("decodeJson dynamic values", () => {
  test("type and value", () => {
    const json = '{"value":[1,"99999999999999999999"],"type":["list","number"]}';

    expect(decodeJson(json, "dynamic")).toStrictEqual(
      new DynamicValue(["list", "number"], [1, 99999999999999999999n]),
    );
  });

  test("missing value key", () => {
    const error = codecError(() => decodeJson('{"type":"string"}', "dynamic"));

    expect(error.code).toBe("TYPE_MISMATCH");
  });

  test("invalid type", () => {
    const error = codecError(() => decodeJson('{"type":"text","value":"x"}', "dynamic"));

    expect(error.code).toBe("INVALID_TYPE");
  });
});

describe("decodeJson invalid JSON", () => {
  const cases: Array<[string, string]> = [
    ["empty", ""],
    ["trailing comma", "[1,2,]"],
    ["unterminated string", '"abc'],
    ["trailing data", "{} x"],
    ["leading zero", "01"],
    ["bare word", "nul"],
    ["single quotes", "'a'"],
    ["control character in string", '"a\nb"'],
    ["bad escape", '"\\x41"'],
    ["missing colon", '{"a" 1}'],
    ["unquoted key", "{a:1}"],
    ["lone minus", "-"],
  ];

  test.each(cases)("%s", (_name, json) => {
    const error = codecError(() => decodeJson(json, "dynamic"));

    expect(error.code).toBe("INVALID_JSON");
    expect(error.path).toEqual([]);
  });

  test("error names the offset", () => {
    expect(codecError(() => decodeJson("[1,2,]", ["list", "number"])).message).toBe(
      "invalid JSON at offset 5: expected a JSON value, found another character",
    );
  });
});

describe("encodeJson", () => {
  test("object with sorted keys and null", () => {
    const value = { serial: 2n ** 64n, id: "a", enabled: true, contacts: [] };

    expect(encodeJson(value, stateType)).toBe(
      '{"contacts":[],"enabled":true,"id":"a","labels":null,"scopes":null,"serial":18446744073709551616}',
    );
  });

  const numberCases: Array<[string, CtyValue, string]> = [
    ["bigint", -(2n ** 63n), "-9223372036854775808"],
    ["BigDecimal", new BigDecimal("0.1000000000000000000001"), "0.1000000000000000000001"],
    ["BigDecimal with plus sign", new BigDecimal("+.5"), "0.5"],
    ["tenth", 0.1, "0.1"],
    ["large double", 1e21, "1e21"],
    ["small double", 1e-7, "0.0000001"],
    ["unsafe integer", 2 ** 60 + 256, "1152921504606847232"],
    ["negative zero", -0, "0"],
  ];

  test.each(numberCases)("number %s", (_name, value, expected) => {
    expect(encodeJson(value, "number")).toBe(expected);
  });

  test("set duplicates dropped", () => {
    expect(encodeJson(["b", "a", "b"], ["set", "string"])).toBe('["b","a"]');
  });

  test("dynamic value", () => {
    const value = new DynamicValue(["object", { b: "bool", a: "string" }], { a: "x", b: false });

    expect(encodeJson(value, "dynamic")).toBe(
      '{"type":["object",{"a":"string","b":"bool"}],"value":{"a":"x","b":false}}',
    );
  });

  test("strings are escaped", () => {
    expect(encodeJson('a"b\n\u2028', "string")).toBe('"a\\"b\\n\u2028"');
  });

  test("unknown rejected with path", () => {
    const value = { id: "a", contacts: [{ email: new Unknown(), phone: null }] };

    const error = codecError(() => encodeJson(value, stateType));

    expect(error.code).toBe("UNKNOWN_VALUE");
    expect(error.path).toEqual([
      { attribute: "contacts" },
      { index: 0 },
      { attribute: "email" },
    ]);
  });

  test("infinite number rejected", () => {
    expect(codecError(() => encodeJson(Infinity, "number")).code).toBe("INVALID_NUMBER");
  });

  const roundTripCases: Array<[string, CtyType, CtyValue]> = [
    [
      "state",
      stateType,
      {
        id: "u-1",
        serial: 123456789012345678901234567890n,
        enabled: false,
        labels: { "": "empty key", ["__proto__"]: "p" },
        scopes: ["read"],
        contacts: [{ email: "e", phone: null }],
      },
    ],
    ["long decimal", "number", new BigDecimal("-12.000000000000000000000000001")],
    ["tuple", ["tuple", ["string", "bool"]], ["🐢", true]],
    ["dynamic", "dynamic", new DynamicValue(["set", "number"], [1.5, 2])],
  ];

  test.each(roundTripCases)("round trip %s", (_name, type, value) => {
    expect(decodeJson(encodeJson(value, type), type)).toStrictEqual(value);
  });
});
