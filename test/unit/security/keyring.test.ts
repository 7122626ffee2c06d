import { describe, expect, it } from "vitest";
import { KeyringError, isSealed, keyIdOf, openText, parseKeyring, sealText } from "../../../src/security/keyring.js";

const keyA = Buffer.alloc(32, 1).toString("base64");
const keyB = Buffer.alloc(32, 2).toString("base64");

describe("keyring", () => {
  it("seals under the active key and opens what it sealed", async () => {
    const ring = await parseKeyring(JSON.stringify({ a: keyA }), "a");
    const sealed = await sealText(ring, "13800138000", "alice");
    expect(isSealed(sealed)).toBe(true);
    expect(keyIdOf(sealed)).toBe("a");
    expect(sealed).not.toContain("13800138000");
    expect(await openText(ring, sealed, "alice")).toBe("13800138000");
  });

  it("uses a fresh IV every time", async () => {
    const ring = await parseKeyring(JSON.stringify({ a: keyA }), "a");
    expect(await sealText(ring, "x", "u")).not.toBe(await sealText(ring, "x", "u"));
  });

  it("opens old ciphertexts after rotation and seals new ones under the new key", async () => {
    const before = await parseKeyring(JSON.stringify({ a: keyA }), "a");
    const old = await sealText(before, "old", "u");
    const after = await parseKeyring(JSON.stringify({ a: keyA, b: keyB }), "b");
    expect(await openText(after, old, "u")).toBe("old");
    expect(keyIdOf(await sealText(after, "new", "u"))).toBe("b");
  });

  it("refuses a ciphertext moved to another user, tampered with, or under a retired key", async () => {
    const ring = await parseKeyring(JSON.stringify({ a: keyA }), "a");
    const sealed = await sealText(ring, "secret", "alice");
    await expect(openText(ring, sealed, "bob")).rejects.toBeInstanceOf(KeyringError);
    const body = sealed.lastIndexOf(":") + 1; // first character of ciphertext+tag: six data bits, never padding
    const flipped = sealed.slice(0, body) + (sealed[body] === "A" ? "B" : "A") + sealed.slice(body + 1);
    expect(flipped).not.toBe(sealed);
    await expect(openText(ring, flipped, "alice")).rejects.toBeInstanceOf(KeyringError);
    const retired = await parseKeyring(JSON.stringify({ b: keyB }), "b");
    await expect(openText(retired, sealed, "alice")).rejects.toThrow(/key "a"/);
  });

  it.each([
    ["not JSON", "{", "a"],
    ["an array", "[]", "a"],
    ["a short key", JSON.stringify({ a: Buffer.alloc(16).toString("base64") }), "a"],
    ["an active id that is not in the ring", JSON.stringify({ a: keyA }), "z"],
    ["a bad key id", JSON.stringify({ "a:b": keyA }), "a:b"],
  ])("refuses a configuration with %s", async (_, keys, active) => {
    await expect(parseKeyring(keys, active)).rejects.toBeInstanceOf(KeyringError);
  });
});
