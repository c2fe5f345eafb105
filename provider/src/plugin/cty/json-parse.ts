// A JSON parser that keeps numbers as their source text. JSON.parse rounds
// every number to a double, which loses integers such as
// 12345678901234567890 and long decimals, and Node 20's JSON.parse has no
// access to the source text of a number.

import { CtyCodecError } from "./errors";
import { setOwnProperty } from "./objects";

/** A JSON number, kept as the exact text it had in the document. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value. Objects have a null prototype and own keys only. */
export type JsonNode =
  | null
  | boolean
  | string
  | JsonNumber
  | JsonNode[]
  | JsonObject;

export type JsonObject = { [key: string]: JsonNode };

/**
 * Parses one JSON document. A repeated object key keeps its last value, as
 * with JSON.parse.
 *
 * @throws CtyCodecError with code INVALID_JSON and the offset of the fault.
 */
export function parseJson(text: string): JsonNode {
  const parser = new Parser(text);
  const value = parser.parseValue();
  parser.skipWhitespace();
  if (parser.position < text.length) parser.fail("expected the end of the document");
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
// The body of a string: any characters but quote, backslash and control
// characters, or an escape sequence.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

class Parser {
  position = 0;

  constructor(private readonly text: string) {}

  parseValue(): JsonNode {
    this.skipWhitespace();
    const character = this.text[this.position];

    switch (character) {
      case "{":
        return this.parseObject();
      case "[":
        return this.parseArray();
      case '"':
        return this.parseString();
      case "t":
        return this.parseLiteral("true", true);
      case "f":
        return this.parseLiteral("false", false);
      case "n":
        return this.parseLiteral("null", null);
      default:
        return this.parseNumber();
    }
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  fail(expectation: string): never {
    const found =
      this.position < this.text.length ? "another character" : "the end of the document";
    throw new CtyCodecError(
      "INVALID_JSON",
      [],
      `invalid JSON at offset ${this.position}: ${expectation}, found ${found}`,
    );
  }

  private parseObject(): JsonObject {
    const object: JsonObject = Object.create(null);
    this.position++;
    this.skipWhitespace();
    if (this.consume("}")) return object;

    do {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail("expected an object key");
      const key = this.parseString();

      this.skipWhitespace();
      if (!this.consume(":")) this.fail('expected ":" after an object key');
      setOwnProperty(object, key, this.parseValue());

      this.skipWhitespace();
    } while (this.consume(","));

    if (!this.consume("}")) this.fail('expected "," or "}" in an object');
    return object;
  }

  private parseArray(): JsonNode[] {
    const array: JsonNode[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.consume("]")) return array;

    do {
      array.push(this.parseValue());
      this.skipWhitespace();
    } while (this.consume(","));

    if (!this.consume("]")) this.fail('expected "," or "]" in an array');
    return array;
  }

  private parseString(): string {
    const start = this.position;
    STRING_BODY.lastIndex = start + 1;
    STRING_BODY.exec(this.text);
    this.position = STRING_BODY.lastIndex;
    if (!this.consume('"')) this.fail("expected a closing quote or a valid escape");

    // The body matched the JSON grammar, so JSON.parse only decodes escapes.
    return JSON.parse(this.text.slice(start, this.position)) as string;
  }

  private parseNumber(): JsonNumber {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail("expected a JSON value");

    this.position = NUMBER.lastIndex;
    return new JsonNumber(match[0]);
  }

  private parseLiteral<T>(literal: string, value: T): T {
    if (!this.text.startsWith(literal, this.position)) this.fail("expected a JSON value");
    this.position += literal.length;
    return value;
  }

  private consume(character: string): boolean {
    if (this.text[this.position] !== character) return false;
    this.position++;
    return true;
  }
}
