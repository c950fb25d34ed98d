/**
 * cosmjs-types' `BinaryWriter.alloc` creates a fresh 8 KiB pool on every call, so every encoded
 * message costs an 8 KiB zeroed allocation and keeps that whole slab alive for as long as the
 * (often tiny) result lives: cached state values would pin gigabytes. Imported for its side effect
 * before anything encodes; `finish()` then allocates exactly the bytes it needs. It brings the
 * native string codec along (native-utf8.ts).
 */
import { BinaryWriter } from "cosmjs-types/binary";
import "./native-utf8.js";

BinaryWriter.alloc = (size: number): Uint8Array => new Uint8Array(size);
