// A small protobuf (proto3) codec that reads the generated JSON descriptor
// directly. It replaces protobufjs at run time because building protobufjs's
// reflection tree and loading the library were the largest part of the
// provider's start-up that remained after bundling.
//
// Decoded messages have the shape protobufjs's toObject gave with the
// options { longs: Number, bytes: Buffer, defaults: true, oneofs: true }:
// field names as in the .proto files, int64 as number, bytes as Buffer,
// enums as numbers, unset scalars as their defaults, unset messages as
// null, unset repeated fields as [] and maps as {}. Oneof members, proto3
// `optional` fields included, are present only when set, and the oneof's
// own name contains the name of the member that is set.
//
// Encoding writes every field whose value is neither undefined nor null,
// like protobufjs's encode, and packs repeated numeric fields.

interface FieldDescriptor {
  type: string;
  id: number;
  rule?: "repeated";
  keyType?: string;
}

interface NamespaceDescriptor {
  nested?: { [name: string]: NamespaceDescriptor };
  fields?: { [name: string]: FieldDescriptor };
  oneofs?: { [name: string]: { oneof: string[] } };
  values?: { [name: string]: number };
  methods?: { [name: string]: { requestType: string; responseType: string; responseStream?: boolean; requestStream?: boolean } };
}

type Kind = "message" | "enum" | "scalar";

interface Field {
  name: string;
  id: number;
  repeated: boolean;
  /** Key type of a map field (always a scalar), or undefined. */
  keyType: string | undefined;
  kind: Kind;
  /** The scalar type name, or the full name of the message or enum. */
  type: string;
  /** The oneof the field belongs to, if any. */
  oneof: string | undefined;
}

export interface MessageType {
  fullName: string;
  encode(value: object): Buffer;
  decode(bytes: Uint8Array): { [field: string]: unknown };
}

/** Scalar types and their wire types: 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit. */
const SCALAR_WIRE_TYPES: { [type: string]: number } = {
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  bool: 0,
  fixed32: 5,
  sfixed32: 5,
  float: 5,
  fixed64: 1,
  sfixed64: 1,
  double: 1,
  string: 2,
  bytes: 2,
};

/** The message types of a descriptor, compiled on first use. */
export class ProtoRegistry {
  private readonly definitions = new Map<string, NamespaceDescriptor>();
  private readonly types = new Map<string, MessageType>();
  private readonly fields = new Map<string, Field[]>();

  constructor(root: NamespaceDescriptor) {
    this.index(root, "");
  }

  /** Returns the service's methods with the full names of their message types. */
  service(fullName: string): {
    [method: string]: { requestType: string; responseType: string; requestStream: boolean; responseStream: boolean };
  } {
    const service = this.definition(fullName);
    const scope = fullName.slice(0, fullName.lastIndexOf("."));
    const methods: ReturnType<ProtoRegistry["service"]> = {};
    for (const [name, method] of Object.entries(service.methods ?? {})) {
      methods[name] = {
        requestType: this.resolve(method.requestType, scope),
        responseType: this.resolve(method.responseType, scope),
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
      };
    }
    return methods;
  }

  /** Returns the codec of the message type `fullName`, such as "tfplugin6.Schema". */
  type(fullName: string): MessageType {
    let type = this.types.get(fullName);
    if (type === undefined) {
      this.definition(fullName);
      type = {
        fullName,
        encode: (value) => Buffer.concat(this.encodeMessage(fullName, value)),
        decode: (bytes) => this.decodeMessage(fullName, bytes),
      };
      this.types.set(fullName, type);
    }
    return type;
  }

  private index(namespace: NamespaceDescriptor, prefix: string): void {
    for (const [name, nested] of Object.entries(namespace.nested ?? {})) {
      const fullName = prefix === "" ? name : `${prefix}.${name}`;
      this.definitions.set(fullName, nested);
      this.index(nested, fullName);
    }
  }

  private definition(fullName: string): NamespaceDescriptor {
    const definition = this.definitions.get(fullName);
    if (definition === undefined) throw new Error(`unknown protobuf type "${fullName}"`);
    return definition;
  }

  /** Resolves a type reference the protobuf way: from the innermost scope outwards. */
  private resolve(reference: string, scope: string): string {
    let current = scope;
    for (;;) {
      const candidate = current === "" ? reference : `${current}.${reference}`;
      if (this.definitions.has(candidate)) return candidate;
      if (current === "") throw new Error(`unknown protobuf type "${reference}" in "${scope}"`);
      current = current.includes(".") ? current.slice(0, current.lastIndexOf(".")) : "";
    }
  }

  private fieldsOf(fullName: string): Field[] {
    let fields = this.fields.get(fullName);
    if (fields !== undefined) return fields;

    const definition = this.definition(fullName);
    const oneofOf = new Map<string, string>();
    for (const [oneof, { oneof: members }] of Object.entries(definition.oneofs ?? {})) {
      for (const member of members) oneofOf.set(member, oneof);
    }
    fields = Object.entries(definition.fields ?? {}).map(([name, field]) => {
      const scalar = field.type in SCALAR_WIRE_TYPES;
      const type = scalar ? field.type : this.resolve(field.type, fullName);
      const kind: Kind = scalar ? "scalar" : this.definition(type).values !== undefined ? "enum" : "message";
      return {
        name,
        id: field.id,
        repeated: field.rule === "repeated",
        keyType: field.keyType,
        kind,
        type,
        oneof: oneofOf.get(name),
      };
    });
    this.fields.set(fullName, fields);
    return fields;
  }

  // -------------------------------------------------------------------------
  // Encoding
  // -------------------------------------------------------------------------

  private encodeMessage(fullName: string, value: object): Buffer[] {
    const chunks: Buffer[] = [];
    const record = value as { [field: string]: unknown };
    for (const field of this.fieldsOf(fullName)) {
      const fieldValue = record[field.name];
      if (fieldValue === undefined || fieldValue === null) continue;

      if (field.keyType !== undefined) {
        for (const [key, entry] of Object.entries(fieldValue as object)) {
          const entryChunks = [
            ...this.encodeSingle({ ...field, kind: "scalar", type: field.keyType, id: 1 }, key),
            ...this.encodeSingle({ ...field, id: 2 }, entry),
          ];
          chunks.push(tag(field.id, 2), varint(byteLength(entryChunks)), ...entryChunks);
        }
      } else if (field.repeated) {
        const values = fieldValue as unknown[];
        const wireType = wireTypeOf(field);
        if (wireType !== 2 && values.length > 0) {
          const packed = values.flatMap((item) => this.encodeValue(field, item));
          chunks.push(tag(field.id, 2), varint(byteLength(packed)), ...packed);
        } else {
          for (const item of values) chunks.push(...this.encodeSingle(field, item));
        }
      } else {
        chunks.push(...this.encodeSingle(field, fieldValue));
      }
    }
    return chunks;
  }

  private encodeSingle(field: Field, value: unknown): Buffer[] {
    return [tag(field.id, wireTypeOf(field)), ...this.encodeValue(field, value)];
  }

  /** Encodes a value without its tag; length-delimited values include their length. */
  private encodeValue(field: Field, value: unknown): Buffer[] {
    if (field.kind === "message") {
      const chunks = this.encodeMessage(field.type, value as object);
      return [varint(byteLength(chunks)), ...chunks];
    }
    if (field.kind === "enum") {
      const number = typeof value === "string" ? this.definition(field.type).values?.[value] : value;
      if (typeof number !== "number") throw new Error(`invalid value for enum ${field.type}: ${String(value)}`);
      return [varint(BigInt(number))];
    }

    switch (field.type) {
      case "string": {
        const bytes = Buffer.from(String(value), "utf8");
        return [varint(bytes.length), bytes];
      }
      case "bytes": {
        const bytes = typeof value === "string" ? Buffer.from(value, "base64") : Buffer.from(value as Uint8Array);
        return [varint(bytes.length), bytes];
      }
      case "bool":
        return [Buffer.from([value ? 1 : 0])];
      case "int32":
      case "int64":
      case "uint32":
      case "uint64":
        return [varint(BigInt.asUintN(64, BigInt(value as number | string | bigint)))];
      case "sint32":
      case "sint64": {
        const signed = BigInt(value as number | string | bigint);
        return [varint(BigInt.asUintN(64, (signed << 1n) ^ (signed < 0n ? -1n : 0n)))];
      }
      case "fixed32":
      case "sfixed32":
      case "float": {
        const bytes = Buffer.alloc(4);
        if (field.type === "float") bytes.writeFloatLE(Number(value));
        else if (field.type === "fixed32") bytes.writeUInt32LE(Number(value));
        else bytes.writeInt32LE(Number(value));
        return [bytes];
      }
      default: {
        const bytes = Buffer.alloc(8);
        if (field.type === "double") bytes.writeDoubleLE(Number(value));
        else bytes.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value as number | string | bigint)));
        return [bytes];
      }
    }
  }

  // -------------------------------------------------------------------------
  // Decoding
  // -------------------------------------------------------------------------

  private decodeMessage(fullName: string, bytes: Uint8Array): { [field: string]: unknown } {
    const fields = this.fieldsOf(fullName);
    const byId = new Map(fields.map((field) => [field.id, field]));
    const message: { [field: string]: unknown } = {};

    for (const field of fields) {
      if (field.oneof !== undefined) continue;
      if (field.keyType !== undefined) message[field.name] = {};
      else if (field.repeated) message[field.name] = [];
      else message[field.name] = this.defaultValue(field);
    }

    const reader = new Reader(bytes);
    while (!reader.done()) {
      const key = reader.varint();
      const id = Number(key >> 3n);
      const wireType = Number(key & 7n);
      const field = byId.get(id);
      if (field === undefined) {
        reader.skip(wireType);
        continue;
      }

      if (field.keyType !== undefined) {
        const [entryKey, entryValue] = this.decodeMapEntry(field, reader.lengthDelimited());
        (message[field.name] as { [key: string]: unknown })[String(entryKey)] = entryValue;
      } else if (field.repeated) {
        const list = message[field.name] as unknown[];
        if (wireType === 2 && wireTypeOf(field) !== 2) {
          const packed = new Reader(reader.lengthDelimited());
          while (!packed.done()) list.push(this.decodeValue(field, packed, wireTypeOf(field)));
        } else {
          list.push(this.decodeValue(field, reader, wireType));
        }
      } else {
        message[field.name] = this.decodeValue(field, reader, wireType);
        if (field.oneof !== undefined) {
          for (const other of fields) {
            if (other.oneof === field.oneof && other !== field) delete message[other.name];
          }
          message[field.oneof] = field.name;
        }
      }
    }
    return message;
  }

  private decodeMapEntry(field: Field, bytes: Uint8Array): [unknown, unknown] {
    const keyField: Field = { ...field, keyType: undefined, repeated: false, kind: "scalar", type: field.keyType as string };
    const valueField: Field = { ...field, keyType: undefined, repeated: false };
    let key = this.defaultValue(keyField);
    let value = this.defaultValue(valueField);
    const reader = new Reader(bytes);
    while (!reader.done()) {
      const tagValue = reader.varint();
      const id = Number(tagValue >> 3n);
      const wireType = Number(tagValue & 7n);
      if (id === 1) key = this.decodeValue(keyField, reader, wireType);
      else if (id === 2) value = this.decodeValue(valueField, reader, wireType);
      else reader.skip(wireType);
    }
    return [key, value];
  }

  private decodeValue(field: Field, reader: Reader, wireType: number): unknown {
    if (field.kind === "message") return this.decodeMessage(field.type, reader.lengthDelimited());
    if (field.kind === "enum") return Number(BigInt.asIntN(32, reader.varint()));

    switch (field.type) {
      case "string":
        return Buffer.from(reader.lengthDelimited()).toString("utf8");
      case "bytes":
        return Buffer.from(reader.lengthDelimited());
      case "bool":
        return reader.varint() !== 0n;
      case "int32":
        return Number(BigInt.asIntN(32, reader.varint()));
      case "uint32":
        return Number(BigInt.asUintN(32, reader.varint()));
      case "int64":
        return Number(BigInt.asIntN(64, reader.varint()));
      case "uint64":
        return Number(reader.varint());
      case "sint32":
      case "sint64": {
        const raw = reader.varint();
        return Number((raw >> 1n) ^ -(raw & 1n));
      }
      default: {
        const size = wireType === 5 ? 4 : 8;
        const bytes = Buffer.from(reader.fixed(size));
        switch (field.type) {
          case "float":
            return bytes.readFloatLE();
          case "double":
            return bytes.readDoubleLE();
          case "fixed32":
            return bytes.readUInt32LE();
          case "sfixed32":
            return bytes.readInt32LE();
          case "fixed64":
            return Number(bytes.readBigUInt64LE());
          default:
            return Number(bytes.readBigInt64LE());
        }
      }
    }
  }

  private defaultValue(field: Field): unknown {
    if (field.kind === "message") return null;
    if (field.kind === "enum") return 0;
    switch (field.type) {
      case "string":
        return "";
      case "bytes":
        return Buffer.alloc(0);
      case "bool":
        return false;
      default:
        return 0;
    }
  }
}

function wireTypeOf(field: Field): number {
  if (field.kind === "message") return 2;
  if (field.kind === "enum") return 0;
  return SCALAR_WIRE_TYPES[field.type];
}

function tag(id: number, wireType: number): Buffer {
  return varint(BigInt(id) * 8n + BigInt(wireType));
}

function varint(value: number | bigint): Buffer {
  let remaining = BigInt(value);
  const bytes: number[] = [];
  do {
    let byte = Number(remaining & 0x7fn);
    remaining >>= 7n;
    if (remaining !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (remaining !== 0n);
  return Buffer.from(bytes);
}

function byteLength(chunks: Buffer[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

class Reader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.offset >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.offset >= this.bytes.length) throw new Error("truncated protobuf varint");
      const byte = this.bytes[this.offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
      if (shift > 63n) throw new Error("protobuf varint longer than 10 bytes");
    }
  }

  fixed(size: number): Uint8Array {
    if (this.offset + size > this.bytes.length) throw new Error("truncated protobuf field");
    const slice = this.bytes.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  lengthDelimited(): Uint8Array {
    return this.fixed(Number(this.varint()));
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.fixed(8);
        return;
      case 2:
        this.lengthDelimited();
        return;
      case 5:
        this.fixed(4);
        return;
      default:
        throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
}
