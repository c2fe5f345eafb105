import {
  BigDecimal,
  CtyNumber,
  CtyType,
  CtyValue,
  DynamicValue,
  Unknown,
} from "../../provider/src/framework/types";
import {
  containsUnknown,
  formatNumber,
  isKnown,
  numbersEqual,
  parseNumber,
  uniqueSetElements,
  valuesEqual,
} from "../../provider/src/framework/values";

describe("valuesEqual", () => {
  const equalCases: Array<[string, CtyValue | undefined, CtyValue | undefined, CtyType | undefined]> = [
    ["strings", "a", "a", undefined],
    ["null and undefined", null, undefined, undefined],
    ["number and bigint", 1, 1n, undefined],
    ["number and BigDecimal", 0.1, new BigDecimal("0.10"), undefined],
    ["bigint and BigDecimal", 10n ** 25n, new BigDecimal("1e25"), undefined],
    ["unsafe integer number and bigint", 2 ** 60 + 256, 1152921504606847232n, undefined],
    ["zero and negative zero", 0, -0, undefined],
    ["lists", ["a", "b"], ["a", "b"], undefined],
    ["sets in another order", [1, 2, 3], [3, 1, 2], ["set", "number"]],
    ["sets with duplicates", ["a", "a", "b"], ["b", "a"], ["set", "string"]],
    [
      "sets of objects",
      [{ n: 1 }, { n: 2 }],
      [{ n: 2 }, { n: 1n }],
      ["set", ["object", { n: "number" }]],
    ],
    ["object missing attribute and null", { a: "x" }, { a: "x", b: null }, ["object", { a: "string", b: "string" }]],
    ["untyped missing key and null", { a: "x" }, { a: "x", b: null }, undefined],
    ["object ignores keys outside the type", { a: "x", z: 1 }, { a: "x" }, ["object", { a: "string" }]],
    ["maps", { k: [1] }, { k: [1] }, ["map", ["list", "number"]]],
    ["nested sets", [[1, 2], [3]], [[3], [2, 1, 2]], ["set", ["set", "number"]]],
    [
      "dynamic values",
      new DynamicValue(["set", "string"], ["a", "b"]),
      new DynamicValue(["set", "string"], ["b", "a"]),
      "dynamic",
    ],
    [
      "dynamic objects with keys in another order",
      new DynamicValue(["object", { a: "string", b: "number" }], { a: "x", b: 1 }),
      new DynamicValue(["object", { b: "number", a: "string" }], { b: 1, a: "x" }),
      undefined,
    ],
  ];

  test.each(equalCases)("%s are equal", (_name, a, b, type) => {
    expect(valuesEqual(a, b, type)).toBe(true);
    expect(valuesEqual(b, a, type)).toBe(true);
  });

  const unknown = new Unknown();
  const unequalCases: Array<[string, CtyValue | undefined, CtyValue | undefined, CtyType | undefined]> = [
    ["unknown and itself", unknown, unknown, undefined],
    ["objects holding one unknown", { a: unknown }, { a: unknown }, undefined],
    ["string and number", "1", 1, undefined],
    ["null and empty string", null, "", undefined],
    ["number and close BigDecimal", 0.1, new BigDecimal("0.1000000000000000000001"), undefined],
    ["double and its exact binary value", 2 ** 60 + 256, 1152921504606847200n, undefined],
    ["lists in another order", [1, 2], [2, 1], ["list", "number"]],
    ["untyped arrays in another order", [1, 2], [2, 1], undefined],
    ["sets of different elements", [1, 2], [1, 3], ["set", "number"]],
    ["sets with unknown elements", [unknown], [unknown], ["set", "string"]],
    ["map missing key and null", { a: "x" }, { a: "x", b: null }, ["map", "string"]],
    ["maps with different keys", { a: "x" }, { b: "x" }, ["map", "string"]],
    [
      "dynamic values of different types",
      new DynamicValue(["list", "string"], ["a"]),
      new DynamicValue(["set", "string"], ["a"]),
      undefined,
    ],
    ["dynamic and plain", new DynamicValue("string", "a"), "a", undefined],
    ["NaN and itself", NaN, NaN, undefined],
    ["array and object", [], {}, undefined],
    ["tuples of different length", ["a"], ["a", 1], ["tuple", ["string", "number"]]],
  ];

  test.each(unequalCases)("%s are not equal", (_name, a, b, type) => {
    expect(valuesEqual(a, b, type)).toBe(false);
    expect(valuesEqual(b, a, type)).toBe(false);
  });
});

describe("containsUnknown and isKnown", () => {
  const cases: Array<[string, CtyValue, boolean]> = [
    ["null", null, false],
    ["string", "a", false],
    ["unknown", new Unknown(), true],
    ["deep in an object", { a: [{ b: { c: new Unknown() } }] }, true],
    ["inside a dynamic value", new DynamicValue("string", new Unknown()), true],
    ["wholly known object", { a: [1, 2n, new BigDecimal("1.5")], b: { c: null } }, false],
  ];

  test.each(cases)("%s", (_name, value, expected) => {
    expect(containsUnknown(value)).toBe(expected);
    expect(isKnown(value)).toBe(!expected);
  });
});

describe("parseNumber", () => {
  const cases: Array<[string, CtyNumber | undefined]> = [
    ["0", 0],
    ["-0", 0],
    ["007", 7],
    ["-12", -12],
    ["1.5", 1.5],
    ["0.1", 0.1],
    [".5", 0.5],
    ["+2.50", 2.5],
    ["1E3", 1000],
    ["9007199254740993", 9007199254740993n],
    ["-9223372036854775808", -(2n ** 63n)],
    ["1e30", 10n ** 30n],
    ["0.1000000000000000000001", new BigDecimal("0.1000000000000000000001")],
    ["1e-400", new BigDecimal("1e-400")],
    ["1e2000", new BigDecimal("1e2000")],
    ["", undefined],
    [".", undefined],
    ["1.2.3", undefined],
    ["0x10", undefined],
    [" 1", undefined],
    ["Infinity", undefined],
    ["1e", undefined],
  ];

  test.each(cases)("%j", (text, expected) => {
    expect(parseNumber(text)).toStrictEqual(expected);
  });
});

describe("formatNumber", () => {
  const cases: Array<[string, CtyNumber, string]> = [
    ["integer", 42, "42"],
    ["float", -2.5, "-2.5"],
    ["bigint", 2n ** 64n, "18446744073709551616"],
    ["BigDecimal canonical", new BigDecimal("+00012.3400"), "12.34"],
    ["tiny double", 5e-7, "0.0000005"],
    ["very tiny BigDecimal", new BigDecimal("0.000000000000000000000000123"), "1.23e-25"],
    ["BigDecimal with large exponent", new BigDecimal("12e30"), "1.2e31"],
  ];

  test.each(cases)("%s", (_name, value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  test.each([
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["invalid BigDecimal", new BigDecimal("one")],
  ])("rejects %s", (_name, value) => {
    expect(() => formatNumber(value)).toThrow(RangeError);
  });
});

describe("numbersEqual", () => {
  test("long decimals compare by digits", () => {
    const a = new BigDecimal("1.00000000000000000000000000001");
    const b = new BigDecimal("1.000000000000000000000000000010");
    const c = new BigDecimal("1.00000000000000000000000000002");

    expect(numbersEqual(a, b)).toBe(true);
    expect(numbersEqual(a, c)).toBe(false);
  });

  test("sign matters", () => {
    expect(numbersEqual(-1n, 1)).toBe(false);
  });
});

describe("uniqueSetElements", () => {
  test("keeps the first of each in order", () => {
    const elements = [{ a: 1 }, { a: 2 }, { a: 1n }, { a: 3 }];

    expect(uniqueSetElements(elements, ["object", { a: "number" }])).toEqual([
      { a: 1 },
      { a: 2 },
      { a: 3 },
    ]);
  });

  test("keeps every unknown", () => {
    const elements = [new Unknown(), new Unknown(), 1, 1];

    expect(uniqueSetElements(elements, "number")).toHaveLength(3);
  });
});
