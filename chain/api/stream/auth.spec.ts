import { Secp256k1HdWallet } from "@cosmjs/amino";
import { describe, expect, it } from "vitest";
import { newNonce, streamAuthSignBytes, verifyStreamAuth } from "./auth.js";

const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";

describe("stream auth", () => {
  it("verifies an amino wallet's ADR-036 signature over the challenge, and only that", async () => {
    const wallet = await Secp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "vivim" });
    const [account] = await wallet.getAccounts();
    const address = account!.address;
    const nonce = newNonce();
    expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    const data = Buffer.from(`vivim-stream\nvivim-test-1\n${nonce}`).toString("base64");
    const signed = await wallet.signAmino(address, {
      chain_id: "",
      account_number: "0",
      sequence: "0",
      fee: { gas: "0", amount: [] },
      msgs: [{ type: "sign/MsgSignData", value: { signer: address, data } }],
      memo: "",
    });
    const auth = { address, pubKey: signed.signature.pub_key.value, signature: signed.signature.signature };
    expect(verifyStreamAuth(auth, "vivim-test-1", nonce)).toBe(true);
    expect(verifyStreamAuth(auth, "vivim-test-1", newNonce())).toBe(false);
    expect(verifyStreamAuth(auth, "other-chain", nonce)).toBe(false);
    expect(verifyStreamAuth({ ...auth, signature: "AAAA" }, "vivim-test-1", nonce)).toBe(false);
    expect(streamAuthSignBytes(address, "vivim-test-1", nonce).length).toBeGreaterThan(0);
  });
});
