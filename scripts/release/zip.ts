// A minimal, deterministic zip writer for provider packages. Entries are
// written in name order with a fixed timestamp, so the same files always give
// the same bytes and so the same zh: hash. Layout from PKWARE's APPNOTE.TXT
// (local file header, central directory, end of central directory record),
// without ZIP64: every size and offset must fit in 32 bits.

import zlib from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, with forward slashes and no leading slash. */
  readonly name: string;
  readonly data: Buffer;
  /** Unix permission bits, such as 0o755 for an executable. */
  readonly mode: number;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;

/** Version 2.0: the first to define deflate. */
const VERSION_NEEDED = 20;
/** "Made by" Unix (3) in the high byte, so readers apply the mode bits. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
/** General purpose flag bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
/** The regular-file type bits of a Unix st_mode (S_IFREG). */
const UNIX_REGULAR_FILE = 0o100000;

/** MS-DOS date of 1980-01-01, the earliest a zip entry can carry. */
const FIXED_DOS_DATE = (0 << 9) | (1 << 5) | 1;
const FIXED_DOS_TIME = 0;

const MAX_UINT32 = 0xffffffff;
const MAX_UINT16 = 0xffff;

/**
 * Writes the entries as one zip archive, sorted by name, each deflated unless
 * storing it is smaller.
 */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareBytes(a.name, b.name));
  checkEntries(sorted);

  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;

  for (const entry of sorted) {
    const name = Buffer.from(entry.name, "utf8");
    const deflated = zlib.deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const fields: HeaderFields = {
      flags: /^[\x20-\x7e]*$/.test(entry.name) ? 0 : FLAG_UTF8,
      method: stored ? METHOD_STORED : METHOD_DEFLATED,
      crc: crc32(entry.data),
      compressedSize: body.length,
      size: entry.data.length,
      name,
    };

    const localHeader = localFileHeader(fields);
    centralParts.push(centralDirectoryHeader(fields, entry.mode, offset));
    localParts.push(localHeader, body);
    offset += localHeader.length + body.length;
    checkUint32(offset, `archive size after ${entry.name}`);
  }

  const centralDirectory = Buffer.concat(centralParts);
  checkUint32(offset + centralDirectory.length, "archive size");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  end.writeUInt16LE(0, 4); // number of this disk
  end.writeUInt16LE(0, 6); // disk where the central directory starts
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length

  return Buffer.concat([...localParts, centralDirectory, end]);
}

interface HeaderFields {
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  name: Buffer;
}

function localFileHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(30 + fields.name.length);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(fields.flags, 6);
  header.writeUInt16LE(fields.method, 8);
  header.writeUInt16LE(FIXED_DOS_TIME, 10);
  header.writeUInt16LE(FIXED_DOS_DATE, 12);
  header.writeUInt32LE(fields.crc, 14);
  header.writeUInt32LE(fields.compressedSize, 18);
  header.writeUInt32LE(fields.size, 22);
  header.writeUInt16LE(fields.name.length, 26);
  header.writeUInt16LE(0, 28); // extra field length
  fields.name.copy(header, 30);
  return header;
}

function centralDirectoryHeader(
  fields: HeaderFields,
  mode: number,
  localHeaderOffset: number,
): Buffer {
  const header = Buffer.alloc(46 + fields.name.length);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(fields.flags, 8);
  header.writeUInt16LE(fields.method, 10);
  header.writeUInt16LE(FIXED_DOS_TIME, 12);
  header.writeUInt16LE(FIXED_DOS_DATE, 14);
  header.writeUInt32LE(fields.crc, 16);
  header.writeUInt32LE(fields.compressedSize, 20);
  header.writeUInt32LE(fields.size, 24);
  header.writeUInt16LE(fields.name.length, 28);
  header.writeUInt16LE(0, 30); // extra field length
  header.writeUInt16LE(0, 32); // file comment length
  header.writeUInt16LE(0, 34); // disk number start
  header.writeUInt16LE(0, 36); // internal file attributes
  // The high 16 bits of the external attributes are the Unix st_mode.
  header.writeUInt32LE(((UNIX_REGULAR_FILE | (mode & 0o7777)) << 16) >>> 0, 38);
  header.writeUInt32LE(localHeaderOffset, 42);
  fields.name.copy(header, 46);
  return header;
}

function checkEntries(sorted: readonly ZipEntry[]): void {
  if (sorted.length > MAX_UINT16) {
    throw new Error(
      `cannot write ${sorted.length} zip entries: the limit without ZIP64 is ${MAX_UINT16}`,
    );
  }
  for (const [index, entry] of sorted.entries()) {
    if (entry.name === "" || entry.name.startsWith("/") || entry.name.includes("\\")) {
      throw new Error(
        `invalid zip entry name "${entry.name}": use a relative path with forward slashes`,
      );
    }
    if (index > 0 && sorted[index - 1].name === entry.name) {
      throw new Error(`duplicate zip entry name "${entry.name}"`);
    }
    checkUint32(entry.data.length, `size of ${entry.name}`);
  }
}

function checkUint32(value: number, description: string): void {
  if (value > MAX_UINT32) {
    throw new Error(
      `${description} is ${value} bytes, over the 4 GiB zip limit without ZIP64`,
    );
  }
}

/** Orders names by their UTF-8 bytes, as Go's sort.Strings does. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

let crcTable: Uint32Array | undefined;

/**
 * Computes the CRC-32 (IEEE 802.3 polynomial) that zip headers record.
 * zlib.crc32 was added in Node.js 22.2 and is present in Node.js 20.20, but
 * older Node.js 20 releases lack it and use the table below.
 */
export function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  return typeof native === "function" ? native(data) : crc32ByTable(data);
}

/** Computes CRC-32 one byte at a time with a 256-entry table. */
export function crc32ByTable(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) {
    crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
