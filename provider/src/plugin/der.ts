// A minimal DER (ASN.1 Distinguished Encoding Rules) writer: just the types an
// X.509 certificate needs. Each function returns one complete TLV (tag,
// length, value) element.

function encodeLength(length: number): Buffer {
  if (length < 0x80) {
    return Buffer.from([length]);
  }

  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function element(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...elements: Uint8Array[]): Buffer {
  return element(0x30, Buffer.concat(elements));
}

export function set(...elements: Uint8Array[]): Buffer {
  return element(0x31, Buffer.concat(elements));
}

export function boolean(value: boolean): Buffer {
  return element(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/** Encodes a non-negative safe integer, such as a version number, as an INTEGER. */
export function integer(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`invalid DER integer ${value}: expected a non-negative safe integer`);
  }

  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return unsignedInteger(Buffer.from(bytes));
}

/**
 * Encodes big-endian unsigned bytes as an INTEGER. DER requires the shortest
 * two's-complement form, so leading zero bytes are dropped and one is added
 * back when the top bit would make the number negative.
 */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start += 1;
  }

  let content = Buffer.from(bytes.subarray(start));
  if (content.length === 0) {
    content = Buffer.from([0]);
  }
  if (content[0] & 0x80) {
    content = Buffer.concat([Buffer.from([0]), content]);
  }
  return element(0x02, content);
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return element(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export function octetString(bytes: Uint8Array): Buffer {
  return element(0x04, bytes);
}

/** Encodes an OBJECT IDENTIFIER from its dotted form, such as "2.5.4.3". */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) {
    throw new Error(`invalid object identifier "${dotted}"`);
  }

  const bytes: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    // Base 128, most significant group first, with the high bit set on every
    // byte except the last.
    const groups = [arc % 128];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
      groups.unshift((rest % 128) | 0x80);
    }
    bytes.push(...groups);
  }
  return element(0x06, Buffer.from(bytes));
}

export function utf8String(text: string): Buffer {
  return element(0x0c, Buffer.from(text, "utf8"));
}

/**
 * Encodes a certificate time: UTCTime for the years 1950 to 2049 and
 * GeneralizedTime otherwise, both in UTC to the second (RFC 5280, 4.1.2.5).
 */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits =
    iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) +
    iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  const year = date.getUTCFullYear();

  if (year >= 1950 && year < 2050) {
    return element(0x17, Buffer.from(digits.slice(2) + "Z", "ascii"));
  }
  return element(0x18, Buffer.from(digits + "Z", "ascii"));
}

/** Wraps elements in a constructed context-specific tag [n] (EXPLICIT tagging). */
export function explicit(tagNumber: number, ...elements: Uint8Array[]): Buffer {
  return element(0xa0 | tagNumber, Buffer.concat(elements));
}

/** Encodes primitive content with a context-specific tag [n] in place of its own tag (IMPLICIT tagging). */
export function implicitPrimitive(tagNumber: number, content: Uint8Array): Buffer {
  return element(0x80 | tagNumber, content);
}
