import {
  BigDecimal,
  CtyType,
  CtyValue,
  DynamicValue,
  Unknown,
} from "../../provider/src/framework/types";
import { valuesEqual } from "../../provider/src/framework/values";
import {
  CtyCodecError,
  decodeMsgpack,
  encodeMsgpack,
} from "../../provider/src/plugin/cty";

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function bytes(hexText: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hexText.replace(/\s+/g, ""), "hex"));
}

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

const userType: CtyType = [
  "object",
  {
    name: "string",
    age: "number",
    admin: "bool",
    tags: ["map", "string"],
    roles: ["set", "string"],
    emails: ["list", ["object", { address: "string", primary: "bool" }]],
  },
];

describe("msgpack round trip", () => {
  const cases: Array<[string, CtyType, CtyValue]> = [
    ["string", "string", "hello"],
    ["empty string", "string", ""],
    ["non-ASCII string", "string", "żółw 🐢"],
    ["zero", "number", 0],
    ["negative integer", "number", -17],
    ["float", "number", 1.5],
    ["tenth", "number", 0.1],
    ["integer beyond 32 bits", "number", 2 ** 40],
    ["negative integer beyond 32 bits", "number", -(2 ** 40)],
    ["true", "bool", true],
    ["false", "bool", false],
    ["list of string", ["list", "string"], ["a", "b", "a"]],
    ["empty list", ["list", "string"], []],
    ["set of number", ["set", "number"], [3, 1, 2]],
    ["map of bool", ["map", "bool"], { x: true, "with space": false }],
    ["empty map", ["map", "number"], {}],
    ["map with null element", ["map", "string"], { a: null }],
    ["tuple", ["tuple", ["string", "number", "bool"]], ["a", 1, false]],
    ["empty object", ["object", {}], {}],
    [
      "nested object",
      userType,
      {
        name: "Ada",
        age: 36,
        admin: false,
        tags: { team: "pki" },
        roles: ["reader", "writer"],
        emails: [{ address: "ada@example.com", primary: true }],
      },
    ],
    [
      "object with null attributes",
      userType,
      {
        name: null,
        age: null,
        admin: null,
        tags: null,
        roles: null,
        emails: null,
      },
    ],
    ["null string", "string", null],
    ["null list", ["list", "number"], null],
    ["null object", userType, null],
    ["dynamic string", "dynamic", new DynamicValue("string", "x")],
    [
      "dynamic object",
      "dynamic",
      new DynamicValue(["object", { a: ["list", "number"] }], { a: [1, 2] }),
    ],
    ["dynamic null of a type", "dynamic", new DynamicValue("number", null)],
    ["null dynamic", "dynamic", null],
  ];

  test.each(cases)("%s", (_name, type, value) => {
    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual(value);
    expect(valuesEqual(decoded, value, type)).toBe(true);
  });

  const unknownCases: Array<[string, CtyType, CtyValue]> = [
    ["unknown string", "string", new Unknown()],
    ["unknown list", ["list", "string"], new Unknown()],
    ["unknown object", userType, new Unknown()],
    ["unknown dynamic", "dynamic", new Unknown()],
    [
      "nested unknown leaves",
      userType,
      {
        name: new Unknown({ notNull: true }),
        age: 1,
        admin: new Unknown(),
        tags: { team: new Unknown({ stringPrefix: "p" }) },
        roles: [new Unknown(), "reader"],
        emails: [{ address: new Unknown(), primary: null }],
      },
    ],
    [
      "dynamic holding an unknown",
      "dynamic",
      new DynamicValue("number", new Unknown({ notNull: true })),
    ],
  ];

  test.each(unknownCases)("%s", (_name, type, value) => {
    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual(value);
  });
});

describe("msgpack exact bytes", () => {
  const cases: Array<[string, CtyType, CtyValue, string]> = [
    ["null", "string", null, "c0"],
    ["unknown", "string", new Unknown(), "d40000"],
    ["unknown without applicable refinements", "bool", new Unknown({ stringPrefix: "x" }), "d40000"],
    ["string", "string", "hi", "a26869"],
    ["true", "bool", true, "c3"],
    ["small integer", "number", 5, "05"],
    ["float", "number", 1.5, "cb3ff8000000000000"],
    ["object with nil attribute", ["object", { a: "string", b: "number" }], { a: "x" }, "82a161a178a162c0"],
    ["list", ["list", "number"], [1, 2], "920102"],
    ["dynamic", "dynamic", new DynamicValue("string", "x"), "92c40822737472696e6722a178"],
    ["2^63-1", "number", 2n ** 63n - 1n, "cf7fffffffffffffff"],
    ["-(2^63)", "number", -(2n ** 63n), "d38000000000000000"],
    ["2^64-1", "number", 2n ** 64n - 1n, "cfffffffffffffffff"],
    ["2^64 as text", "number", 2n ** 64n, "b4" + Buffer.from("18446744073709551616").toString("hex")],
    ["long decimal as text", "number", new BigDecimal("0.1000000000000000000001"), "b8" + Buffer.from("0.1000000000000000000001").toString("hex")],
  ];

  test.each(cases)("%s", (_name, type, value, expected) => {
    expect(hex(encodeMsgpack(value, type))).toBe(expected);
  });
});

describe("msgpack refined unknowns", () => {
  const cases: Array<[string, CtyType, string, Unknown]> = [
    [
      "not null and string prefix",
      "string",
      // ext 8, 7 bytes, type 12: {1: false, 2: "ab"}
      "c7 07 0c 82 01 c2 02 a2 61 62",
      new Unknown({ notNull: true, stringPrefix: "ab" }),
    ],
    [
      "number bounds",
      "number",
      // {3: [0, true], 4: [100.5, false]}
      "c7 11 0c 82 03 92 00 c3 04 92 cb 40 59 20 00 00 00 00 00 c2",
      new Unknown({
        numberLowerBound: { value: 0, inclusive: true },
        numberUpperBound: { value: 100.5, inclusive: false },
      }),
    ],
    [
      "collection length bounds",
      ["list", "string"],
      // {1: false, 5: 1, 6: 10}
      "c7 07 0c 83 01 c2 05 01 06 0a",
      new Unknown({
        notNull: true,
        collectionLengthLowerBound: 1,
        collectionLengthUpperBound: 10,
      }),
    ],
  ];

  test.each(cases)("%s decode", (_name, type, wire, expected) => {
    expect(decodeMsgpack(bytes(wire), type)).toStrictEqual(expected);
  });

  test.each(cases)("%s re-encode", (_name, type, wire) => {
    const decoded = decodeMsgpack(bytes(wire), type);

    expect(hex(encodeMsgpack(decoded, type))).toBe(wire.replace(/\s+/g, ""));
  });

  test("number bound sent as decimal text", () => {
    // {4: ["123456789012345678901234567890", true]}
    const text = Buffer.from("123456789012345678901234567890").toString("hex");
    const wire = `c7 23 0c 81 04 92 be ${text} c3`;

    const decoded = decodeMsgpack(bytes(wire), "number");

    expect(decoded).toStrictEqual(
      new Unknown({
        numberUpperBound: { value: 123456789012345678901234567890n, inclusive: true },
      }),
    );
  });

  test("infinite number bound is dropped", () => {
    // {1: false, 3: [-Infinity, false]}
    const wire = "c7 0f 0c 82 01 c2 03 92 cb ff f0 00 00 00 00 00 00 c2";

    expect(decodeMsgpack(bytes(wire), "number")).toStrictEqual(
      new Unknown({ notNull: true }),
    );
  });

  test("unrecognized key is ignored", () => {
    // {1: false, 99: ""}
    const wire = "c7 05 0c 82 01 c2 63 a0";

    expect(decodeMsgpack(bytes(wire), "string")).toStrictEqual(
      new Unknown({ notNull: true }),
    );
  });

  const plainCases: Array<[string, CtyType, string]> = [
    ["definitely null dropped", "string", "c7 03 0c 81 01 c3"],
    ["malformed entry", "string", "c7 05 0c 81 01 a2 6e 6f"],
    ["payload not a map", "string", "c7 02 0c a1 78"],
    ["truncated payload", "string", "c7 03 0c 82 01 c2"],
    ["prefix on a number", "number", "c7 04 0c 81 02 a1 78"],
    ["length on a string", "string", "c7 03 0c 81 05 01"],
    ["refinements on dynamic", "dynamic", "c7 03 0c 81 01 c2"],
    ["other extension type", "string", "c7 03 05 81 01 c2"],
    ["timestamp extension", "string", "d6 ff 00 00 00 00"],
    ["empty extension", "string", "c7 00 00"],
  ];

  test.each(plainCases)("%s gives a plain unknown", (_name, type, wire) => {
    expect(decodeMsgpack(bytes(wire), type)).toStrictEqual(new Unknown());
  });

  test("refinements that do not apply are not encoded", () => {
    const value = new Unknown({
      notNull: true,
      stringPrefix: "x",
      collectionLengthLowerBound: 2,
    });

    expect(hex(encodeMsgpack(value, "number"))).toBe("c7030c8101c2");
  });

  test("length lower bound of zero is not encoded", () => {
    const value = new Unknown({ collectionLengthLowerBound: 0 });

    expect(hex(encodeMsgpack(value, ["set", "string"]))).toBe("d40000");
  });

  test("invalid length bound is rejected", () => {
    const value = new Unknown({ collectionLengthUpperBound: -1 });

    const error = codecError(() =>
      encodeMsgpack({ items: value }, ["object", { items: ["list", "string"] }]),
    );

    expect(error.code).toBe("INVALID_REFINEMENT");
    expect(error.path).toEqual([{ attribute: "items" }]);
  });

  test("NaN number bound is rejected", () => {
    const value = new Unknown({ numberLowerBound: { value: NaN, inclusive: true } });

    expect(codecError(() => encodeMsgpack(value, "number")).code).toBe("INVALID_NUMBER");
  });
});

describe("msgpack numbers", () => {
  const decodeCases: Array<[string, string, CtyValue]> = [
    ["int64 2^63-1", "d3 7f ff ff ff ff ff ff ff", 2n ** 63n - 1n],
    ["int64 -(2^63)", "d3 80 00 00 00 00 00 00 00", -(2n ** 63n)],
    ["uint64 2^64-1", "cf ff ff ff ff ff ff ff ff", 2n ** 64n - 1n],
    ["int64 small value", "d3 00 00 00 00 00 00 00 05", 5],
    ["uint64 2^53-1", "cf 00 1f ff ff ff ff ff ff", Number.MAX_SAFE_INTEGER],
    ["uint64 2^53", "cf 00 20 00 00 00 00 00 00", 2n ** 53n],
    ["negative fixint", "ff", -1],
    ["float32", "ca 3f c0 00 00", 1.5],
    [
      "30-digit integer text",
      "be " + Buffer.from("123456789012345678901234567890").toString("hex"),
      123456789012345678901234567890n,
    ],
    ["decimal text of a double", "a3 30 2e 31", 0.1],
    ["integer text", "a2 34 32", 42],
    [
      "long decimal text",
      "b8 " + Buffer.from("0.1000000000000000000001").toString("hex"),
      new BigDecimal("0.1000000000000000000001"),
    ],
    ["exponent text", "a4 31 65 32 35", 10n ** 25n],
  ];

  test.each(decodeCases)("decode %s", (_name, wire, expected) => {
    expect(decodeMsgpack(bytes(wire), "number")).toStrictEqual(expected);
  });

  const roundTripCases: Array<[string, CtyValue]> = [
    ["2^63-1", 2n ** 63n - 1n],
    ["-(2^63)", -(2n ** 63n)],
    ["2^64-1", 2n ** 64n - 1n],
    ["30-digit integer", 123456789012345678901234567890n],
    ["negative 30-digit integer", -123456789012345678901234567890n],
    ["long decimal", new BigDecimal("3.14159265358979323846264338327950288")],
    ["tiny decimal", new BigDecimal("1e-400")],
  ];

  test.each(roundTripCases)("round trip %s", (_name, value) => {
    const decoded = decodeMsgpack(encodeMsgpack(value, "number"), "number");

    expect(decoded).toStrictEqual(value);
  });

  test("unsafe integer number encodes as an integer", () => {
    const value = 2 ** 60 + 256;

    const encoded = encodeMsgpack(value, "number");

    expect(hex(encoded)).toBe("cf1000000000000100");
    expect(decodeMsgpack(encoded, "number")).toBe(BigInt(value));
  });

  test.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ])("encode rejects %s", (_name, value) => {
    const error = codecError(() => encodeMsgpack(value, "number"));

    expect(error.code).toBe("INVALID_NUMBER");
    expect(error.message).toMatch(/finite/);
  });

  test("encode rejects invalid BigDecimal text", () => {
    const error = codecError(() => encodeMsgpack(new BigDecimal("12abc"), "number"));

    expect(error.code).toBe("INVALID_NUMBER");
  });

  test("decode rejects NaN float", () => {
    const error = codecError(() => decodeMsgpack(bytes("cb 7f f8 00 00 00 00 00 00"), "number"));

    expect(error.code).toBe("INVALID_NUMBER");
  });

  test("decode rejects non-number text without echoing it", () => {
    const secret = Buffer.from("hunter2").toString("hex");

    const error = codecError(() => decodeMsgpack(bytes("a7" + secret), "number"));

    expect(error.code).toBe("INVALID_NUMBER");
    expect(error.message).not.toContain("hunter2");
  });
});

describe("msgpack sets", () => {
  const objectSet: CtyType = ["set", ["object", { name: "string", size: "number" }]];

  test("duplicate objects are dropped", () => {
    const value = [
      { name: "a", size: 1 },
      { name: "b", size: 2 },
      { name: "a", size: 1n },
      { size: new BigDecimal("1.0"), name: "a" },
    ];

    const decoded = decodeMsgpack(encodeMsgpack(value, objectSet), objectSet);

    expect(decoded).toStrictEqual([
      { name: "a", size: 1 },
      { name: "b", size: 2 },
    ]);
  });

  test("duplicate strings are dropped in order", () => {
    const type: CtyType = ["set", "string"];

    const decoded = decodeMsgpack(encodeMsgpack(["b", "a", "b", "c", "a"], type), type);

    expect(decoded).toStrictEqual(["b", "a", "c"]);
  });

  test("unknown elements are all kept", () => {
    const type: CtyType = ["set", "string"];
    const value = [new Unknown(), new Unknown(), "a", "a"];

    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual([new Unknown(), new Unknown(), "a"]);
  });

  test("objects with unknown leaves are all kept", () => {
    const value = [
      { name: new Unknown(), size: 1 },
      { name: new Unknown(), size: 1 },
    ];

    const decoded = decodeMsgpack(encodeMsgpack(value, objectSet), objectSet);

    expect(decoded).toHaveLength(2);
  });

  test("nested sets compare without order", () => {
    const type: CtyType = ["set", ["set", "number"]];

    const decoded = decodeMsgpack(encodeMsgpack([[1, 2], [2, 1], [2, 2, 1]], type), type);

    expect(decoded).toStrictEqual([[1, 2]]);
  });
});

describe("msgpack maps", () => {
  test("keys that look like indexes or prototypes", () => {
    const type: CtyType = ["map", "number"];
    const value: CtyValue = { "1": 1, "": 2, constructor: 3, toString: 4 };

    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual(value);
  });

  test("undefined elements are left out", () => {
    const type: CtyType = ["map", "string"];

    const encoded = encodeMsgpack({ a: "x", b: undefined } as never, type);

    expect(hex(encoded)).toBe("81a161a178");
  });

  test("map of objects", () => {
    const type: CtyType = ["map", ["object", { id: "number", note: "string" }]];
    const value: CtyValue = {
      first: { id: 1, note: null },
      second: { id: new Unknown(), note: "n" },
    };

    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual(value);
  });
});

describe("msgpack dynamic values", () => {
  test("type JSON sent as a string decodes", () => {
    const wire = "92 a8 22737472696e6722 a1 78";

    expect(decodeMsgpack(bytes(wire), "dynamic")).toStrictEqual(new DynamicValue("string", "x"));
  });

  test("dynamic attribute inside an object", () => {
    const type: CtyType = ["object", { id: "string", extra: "dynamic" }];
    const value: CtyValue = {
      id: "a",
      extra: new DynamicValue(["map", "string"], { k: "v" }),
    };

    const decoded = decodeMsgpack(encodeMsgpack(value, type), type);

    expect(decoded).toStrictEqual(value);
  });

  test("dynamic holding a dynamic", () => {
    const value = new DynamicValue("dynamic", new DynamicValue("bool", true));

    const decoded = decodeMsgpack(encodeMsgpack(value, "dynamic"), "dynamic");

    expect(decoded).toStrictEqual(value);
  });

  test("unknown dynamic is a bare extension", () => {
    expect(hex(encodeMsgpack(new Unknown({ notNull: true }), "dynamic"))).toBe("d40000");
  });

  test("encode rejects a plain value", () => {
    const error = codecError(() => encodeMsgpack("x", "dynamic"));

    expect(error.code).toBe("TYPE_MISMATCH");
    expect(error.detail).toBe("expected a dynamic value, got a string");
  });

  test("encode rejects a malformed inner type", () => {
    const value = new DynamicValue(["lst", "string"] as unknown as CtyType, []);

    expect(codecError(() => encodeMsgpack(value, "dynamic")).code).toBe("INVALID_TYPE");
  });

  test("decode rejects a wrong-length array", () => {
    const error = codecError(() => decodeMsgpack(bytes("91 c0"), "dynamic"));

    expect(error.code).toBe("WRONG_LENGTH");
  });

  test("decode rejects invalid type JSON", () => {
    const typeJson = Buffer.from('["list"]').toString("hex");

    const error = codecError(() => decodeMsgpack(bytes(`92 c4 08 ${typeJson} 90`), "dynamic"));

    expect(error.code).toBe("INVALID_TYPE");
  });
});

describe("msgpack errors", () => {
  const nestedType: CtyType = [
    "object",
    {
      users: ["list", ["object", { email: "string", tags: ["map", "number"] }]],
      groups: ["set", ["object", { name: "string" }]],
    },
  ];

  test("wrong type deep in an object", () => {
    const wire = encodeMsgpack(
      { users: [{ email: "a", tags: {} }, { email: "b", tags: { env: 1 } }], groups: [] },
      nestedType,
    );
    const otherType: CtyType = [
      "object",
      {
        users: ["list", ["object", { email: "string", tags: ["map", "bool"] }]],
        groups: ["set", ["object", { name: "string" }]],
      },
    ];

    const error = codecError(() => decodeMsgpack(wire, otherType));

    expect(error.code).toBe("TYPE_MISMATCH");
    expect(error.path).toEqual([
      { attribute: "users" },
      { index: 1 },
      { attribute: "tags" },
      { key: "env" },
    ]);
    expect(error.message).toBe(
      'users[1].tags["env"]: expected a bool, got a msgpack number',
    );
  });

  test("error inside a set element points at the set", () => {
    const wire = encodeMsgpack({ users: [], groups: [{ name: 5 }] }, [
      "object",
      {
        users: ["list", "string"],
        groups: ["set", ["object", { name: "number" }]],
      },
    ]);

    const error = codecError(() => decodeMsgpack(wire, nestedType));

    expect(error.path).toEqual([{ attribute: "groups" }]);
    expect(error.detail).toBe(
      "expected a string, got a msgpack number (in a set element at name)",
    );
  });

  test("missing attribute", () => {
    const wire = encodeMsgpack({ a: "x" }, ["map", "string"]);

    const error = codecError(() =>
      decodeMsgpack(wire, ["object", { a: "string", b: "number" }]),
    );

    expect(error.code).toBe("MISSING_ATTRIBUTE");
    expect(error.path).toEqual([{ attribute: "b" }]);
    expect(error.message).toContain('"b"');
  });

  test("missing optional attribute decodes as null", () => {
    const wire = encodeMsgpack({ a: "x" }, ["map", "string"]);

    const decoded = decodeMsgpack(wire, ["object", { a: "string", b: "number" }, ["b"]]);

    expect(decoded).toStrictEqual({ a: "x", b: null });
  });

  test("unexpected attribute", () => {
    const wire = encodeMsgpack({ a: "x", c: "y" }, ["map", "string"]);

    const error = codecError(() => decodeMsgpack(wire, ["object", { a: "string" }]));

    expect(error.code).toBe("UNEXPECTED_ATTRIBUTE");
    expect(error.path).toEqual([{ attribute: "c" }]);
  });

  test("tuple of the wrong length", () => {
    const error = codecError(() =>
      decodeMsgpack(bytes("92 01 02"), ["tuple", ["number"]]),
    );

    expect(error.code).toBe("WRONG_LENGTH");
  });

  test("truncated bytes", () => {
    const error = codecError(() => decodeMsgpack(bytes("92 01"), ["list", "number"]));

    expect(error.code).toBe("INVALID_MSGPACK");
    expect(error.path).toEqual([]);
  });

  test("trailing bytes", () => {
    expect(codecError(() => decodeMsgpack(bytes("01 02"), "number")).code).toBe(
      "INVALID_MSGPACK",
    );
  });

  test("decode never echoes a string value", () => {
    const wire = encodeMsgpack({ password: "hunter2" }, ["map", "string"]);

    const error = codecError(() => decodeMsgpack(wire, ["object", { password: "bool" }]));

    expect(error.message).toBe("password: expected a bool, got a msgpack string");
  });

  test("encode never echoes a string value", () => {
    const error = codecError(() =>
      encodeMsgpack({ password: "hunter2" }, ["object", { password: "number" }]),
    );

    expect(error.path).toEqual([{ attribute: "password" }]);
    expect(error.message).toBe("password: expected a number, got a string");
  });

  test("encode rejects an attribute the type lacks", () => {
    const error = codecError(() =>
      encodeMsgpack({ a: "x", extra: 1 }, ["object", { a: "string" }]),
    );

    expect(error.code).toBe("UNEXPECTED_ATTRIBUTE");
    expect(error.path).toEqual([{ attribute: "extra" }]);
  });

  test("encode reports list index", () => {
    const error = codecError(() => encodeMsgpack(["a", 1], ["list", "string"]));

    expect(error.path).toEqual([{ index: 1 }]);
  });

  test("encode rejects an array for an object", () => {
    const error = codecError(() => encodeMsgpack([], ["object", {}]));

    expect(error.detail).toBe("expected an object, got an array");
  });

  test("encode rejects tuple of the wrong length", () => {
    const error = codecError(() => encodeMsgpack(["a"], ["tuple", ["string", "bool"]]));

    expect(error.code).toBe("WRONG_LENGTH");
  });
});
