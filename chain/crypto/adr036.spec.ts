import { Secp256k1HdWallet } from "@cosmjs/amino";
import { describe, expect, it } from "vitest";
import { ADDRESS_PREFIX } from "./address.js";
import { adr036SignBytes, verifyAdr036 } from "./adr036.js";

describe("ADR-036 signatures", () => {
  it("verifies what a cosmjs amino wallet signs, and nothing else", async () => {
    const wallet = await Secp256k1HdWallet.generate(12, { prefix: ADDRESS_PREFIX });
    const other = await Secp256k1HdWallet.generate(12, { prefix: ADDRESS_PREFIX });
    const [account] = await wallet.getAccounts();
    const [stranger] = await other.getAccounts();
    const data = new TextEncoder().encode("vivim-approval:test-1:abc:approve");
    const signDoc = JSON.parse(Buffer.from(adr036SignBytes(account!.address, data)).toString("utf8"));
    const { signature } = await wallet.signAmino(account!.address, signDoc);
    const sig = { signer: account!.address, pubKey: signature.pub_key.value, signature: signature.signature };
    expect(verifyAdr036(sig, data)).toBe(true);
    expect(verifyAdr036(sig, new TextEncoder().encode("vivim-approval:test-1:abc:reject"))).toBe(false);
    expect(verifyAdr036({ ...sig, signer: stranger!.address }, data)).toBe(false);
    expect(verifyAdr036({ ...sig, signature: Buffer.alloc(64).toString("base64") }, data)).toBe(false);
    expect(verifyAdr036({ ...sig, pubKey: "AAAA" }, data)).toBe(false);
  });
});
