#!/usr/bin/env node
/**
 * Regenerates the seed corpus of test/fuzz/tx-decode.test.ts (test/fuzz/corpus/tx/*.bin).
 * Deterministic (fixed mnemonic and keys, RFC 6979 / RFC 8032 signatures), so rerunning it
 * reproduces the committed files byte for byte. Needs only node_modules, no build:
 *   node scripts/fuzz-corpus.mjs
 * Names: ok-*.bin must decode; bad-*.bin must fail with a CodedError (the test checks both).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { coins } from "@cosmjs/amino";
import { fromBase64, toBech32 } from "@cosmjs/encoding";
import {
  DirectSecp256k1HdWallet,
  encodePubkey,
  makeAuthInfoBytes,
  makeCosmoshubPath,
  makeSignBytes,
  makeSignDoc,
  Registry,
} from "@cosmjs/proto-signing";
import { ed25519 } from "@noble/curves/ed25519.js";
import { BinaryWriter } from "cosmjs-types/binary";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { AuthInfo, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fuzz", "corpus", "tx");
const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const CHAIN_ID = "vivim-fuzz-1";
const ACCOUNT_NUMBER = 7n;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const UNKNOWN_FIELD = Uint8Array.from([0x98, 0x06, 0x01]); // field 99, varint 1

const registry = new Registry();
const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, {
  prefix: "vivim",
  hdPaths: [makeCosmoshubPath(0), makeCosmoshubPath(1)],
});
const [alice, bob] = await wallet.getAccounts();
const secpPubkey = (a) =>
  encodePubkey({ type: "tendermint/PubKeySecp256k1", value: Buffer.from(a.pubkey).toString("base64") });

const send = (from, to, amount = "5") => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: coins(amount, "uvivim") }),
});
const bodyOf = (msgs, memo = "", timeoutHeight) =>
  registry.encode({ typeUrl: "/cosmos.tx.v1beta1.TxBody", value: { messages: msgs, memo, timeoutHeight } });
const authOf = (accounts, fee = coins("5000", "uvivim"), gas = 200_000, mode = 1) =>
  makeAuthInfoBytes(
    accounts.map((a) => ({ pubkey: secpPubkey(a), sequence: 3 })),
    fee,
    gas,
    undefined,
    undefined,
    mode,
  );
const txRaw = (bodyBytes, authInfoBytes, signatures) =>
  TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures })).finish();
const concat = (...parts) => new Uint8Array(Buffer.concat(parts));

/** Signs like SigningStargateClient.signDirect, once per account. */
async function signed(bodyBytes, authInfoBytes, accounts) {
  const sigs = [];
  for (const a of accounts) {
    const { signature } = await wallet.signDirect(
      a.address,
      makeSignDoc(bodyBytes, authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER),
    );
    sigs.push(fromBase64(signature.signature));
  }
  return txRaw(bodyBytes, authInfoBytes, sigs);
}

/** Any{"/vivim.test.Nest", Nest{inner: ...}} nested `depth` times (the fuzz registry knows Nest). */
function nestedAny(depth) {
  let value = new Uint8Array();
  for (let i = 0; i < depth; i++) {
    value = BinaryWriter.create()
      .uint32(10)
      .fork()
      .uint32(10)
      .string("/vivim.test.Nest")
      .uint32(18)
      .bytes(value)
      .ldelim()
      .finish();
  }
  return value;
}

const seeds = {};
const body1 = bodyOf([send(alice.address, bob.address)], "fuzz seed");
const auth1 = authOf([alice]);
seeds["ok-01-msgsend"] = await signed(body1, auth1, [alice]);
seeds["ok-02-three-msgs"] = await signed(
  bodyOf([
    send(alice.address, bob.address),
    send(alice.address, bob.address, "7"),
    send(alice.address, alice.address),
  ]),
  auth1,
  [alice],
);
const twoBody = bodyOf([send(alice.address, bob.address), send(bob.address, alice.address)]);
const twoAuth = authOf([alice, bob]);
seeds["ok-03-two-signers"] = await signed(twoBody, twoAuth, [alice, bob]);
seeds["ok-04-simulate"] = Tx.encode(
  Tx.fromPartial({
    authInfo: AuthInfo.fromPartial({
      fee: {},
      signerInfos: [{ publicKey: secpPubkey(alice), sequence: 3n, modeInfo: { single: { mode: 0 } } }],
    }),
    body: TxBody.fromPartial({
      messages: [registry.encodeAsAny(send(alice.address, bob.address))],
      memo: "",
    }),
    signatures: [new Uint8Array()],
  }),
).finish();
{
  const sk = createHash("sha256").update("vivim fuzz ed25519 key").digest();
  const pk = ed25519.getPublicKey(sk);
  const from = toBech32("vivim", createHash("sha256").update(pk).digest().subarray(0, 20));
  const bodyBytes = bodyOf([send(from, bob.address)]);
  const pubkey = {
    typeUrl: "/cosmos.crypto.ed25519.PubKey",
    value: Ed25519PubKey.encode({ key: pk }).finish(),
  };
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey, sequence: 0 }],
    coins("1", "uvivim"),
    100_000,
    undefined,
    undefined,
  );
  const sig = ed25519.sign(
    makeSignBytes(makeSignDoc(bodyBytes, authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER)),
    sk,
  );
  seeds["ok-05-ed25519"] = txRaw(bodyBytes, authInfoBytes, [sig]);
}
seeds["ok-06-max-memo"] = await signed(bodyOf([send(alice.address, bob.address)], "m".repeat(512)), auth1, [
  alice,
]);
seeds["ok-07-timeout-height"] = await signed(bodyOf([send(alice.address, bob.address)], "", 123456n), auth1, [
  alice,
]);
seeds["ok-08-two-fee-coins"] = await signed(
  body1,
  authOf(
    [alice],
    [
      { denom: "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", amount: "1" },
      { denom: "uvivim", amount: "0" },
    ],
  ),
  [alice],
);

const good = TxRaw.decode(seeds["ok-01-msgsend"]);
seeds["bad-01-empty"] = new Uint8Array();
seeds["bad-02-unknown-field-body"] = txRaw(
  concat(good.bodyBytes, UNKNOWN_FIELD),
  good.authInfoBytes,
  good.signatures,
);
seeds["bad-03-unknown-field-authinfo"] = txRaw(
  good.bodyBytes,
  concat(good.authInfoBytes, UNKNOWN_FIELD),
  good.signatures,
);
seeds["bad-04-nested-any"] = txRaw(
  TxBody.encode(
    TxBody.fromPartial({ messages: [{ typeUrl: "/vivim.test.Nest", value: nestedAny(12) }] }),
  ).finish(),
  good.authInfoBytes,
  good.signatures,
);
seeds["bad-05-extension-option"] = txRaw(
  concat(
    good.bodyBytes,
    BinaryWriter.create()
      .uint32((1023 << 3) | 2)
      .bytes(new Uint8Array([10, 3, 47, 120, 46]))
      .finish(),
  ),
  good.authInfoBytes,
  good.signatures,
);
{
  const sig = good.signatures[0];
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  const high = concat(
    sig.subarray(0, 32),
    Buffer.from((SECP256K1_N - s).toString(16).padStart(64, "0"), "hex"),
  );
  seeds["bad-06-high-s"] = txRaw(good.bodyBytes, good.authInfoBytes, [high]);
}
seeds["bad-07-wrong-signer"] = await signed(body1, authOf([bob]), [bob]);
seeds["bad-08-multisig-mode"] = txRaw(
  good.bodyBytes,
  AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        { publicKey: secpPubkey(alice), modeInfo: { multi: { modeInfos: [{ single: { mode: 1 } }] } } },
      ],
      fee: {},
    }),
  ).finish(),
  good.signatures,
);
seeds["bad-09-missing-signature"] = txRaw(good.bodyBytes, good.authInfoBytes, []);
seeds["bad-10-amino-mode"] = await signed(body1, authOf([alice], coins("5000", "uvivim"), 200_000, 127), [
  alice,
]);

mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith(".bin")) rmSync(join(OUT, f));
for (const [name, bytes] of Object.entries(seeds)) writeFileSync(join(OUT, `${name}.bin`), bytes);
console.info(JSON.stringify({ dir: OUT, files: Object.keys(seeds).length }));
