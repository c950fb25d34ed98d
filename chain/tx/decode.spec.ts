import { coins } from "@cosmjs/amino";
import { fromBase64 } from "@cosmjs/encoding";
import {
  type AccountData,
  DirectSecp256k1HdWallet,
  type EncodeObject,
  encodePubkey,
  makeAuthInfoBytes,
  makeCosmoshubPath,
  makeSignBytes,
  makeSignDoc,
  Registry,
} from "@cosmjs/proto-signing";
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { BinaryWriter } from "cosmjs-types/binary";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { AuthInfo, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { beforeAll, describe, expect, it } from "vitest";
import { msgSend } from "../../contracts/bank/msg-send.js";
import type { MessageSchema } from "../codec/schema.js";
import { addressOf } from "../crypto/address.js";
import { sha256, toHexUpper } from "../crypto/hash.js";
import { verifySignature } from "../crypto/verify.js";
import { CodedError } from "../errors/codes.js";
import { DEFAULT_TX_LIMITS, type DecodedTx, decodeTx, type TxLimits } from "./decode.js";
import { MsgRegistry } from "./msg-registry.js";
import { signDocBytes } from "./signdoc.js";

const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const CHAIN_ID = "vivim-test-1";
const ACCOUNT_NUMBER = 7n;

/** A non-Msg type that nests itself through Any, to build deep Any chains. */
const NestSchema: MessageSchema = { name: "vivim.test.Nest", fields: { 1: { name: "inner", kind: "any" } } };
const registry = new MsgRegistry([msgSend], [{ typeUrl: "/vivim.test.Nest", schema: NestSchema }]);
const cosmjsRegistry = new Registry(); // Coin + MsgSend, like SigningStargateClient's default for these msgs

let wallet: DirectSecp256k1HdWallet;
let alice: AccountData;
let bob: AccountData;

beforeAll(async () => {
  wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, {
    prefix: "vivim",
    hdPaths: [makeCosmoshubPath(0), makeCosmoshubPath(1)],
  });
  [alice, bob] = (await wallet.getAccounts()) as [AccountData, AccountData];
});

function send(from: string, to: string, amount = "5"): EncodeObject {
  return {
    typeUrl: msgSend.typeUrl,
    value: MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: coins(amount, "uvivim") }),
  };
}

interface BuildOptions {
  msgs?: EncodeObject[];
  memo?: string;
  timeoutHeight?: bigint;
  /** Accounts whose pubkeys go into signer_infos and who sign, in order. Default: [alice]. */
  signers?: AccountData[];
  fee?: { amount: Array<{ denom: string; amount: string }>; gas: number; payer?: string; granter?: string };
  signMode?: number;
  bodyBytes?: Uint8Array;
  authInfoBytes?: Uint8Array;
}

interface Built {
  txBytes: Uint8Array;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
}

/** Builds and signs a tx exactly as SigningStargateClient.signDirect does. */
async function build(o: BuildOptions = {}): Promise<Built> {
  const signers = o.signers ?? [alice];
  const bodyBytes =
    o.bodyBytes ??
    cosmjsRegistry.encode({
      typeUrl: "/cosmos.tx.v1beta1.TxBody",
      value: {
        messages: o.msgs ?? [send(alice.address, bob.address)],
        memo: o.memo ?? "",
        timeoutHeight: o.timeoutHeight,
      },
    });
  const fee: NonNullable<BuildOptions["fee"]> = o.fee ?? { amount: coins("5000", "uvivim"), gas: 200_000 };
  const authInfoBytes =
    o.authInfoBytes ??
    makeAuthInfoBytes(
      signers.map((a) => ({
        pubkey: encodePubkey({
          type: "tendermint/PubKeySecp256k1",
          value: Buffer.from(a.pubkey).toString("base64"),
        }),
        sequence: 3,
      })),
      fee.amount,
      fee.gas,
      fee.granter,
      fee.payer,
      o.signMode,
    );
  const signatures: Uint8Array[] = [];
  for (const s of signers) {
    const { signature } = await wallet.signDirect(
      s.address,
      makeSignDoc(bodyBytes, authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER),
    );
    signatures.push(fromBase64(signature.signature));
  }
  return raw(bodyBytes, authInfoBytes, signatures);
}

function raw(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, signatures: Uint8Array[]): Built {
  const txBytes = TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures })).finish();
  return { txBytes, bodyBytes, authInfoBytes, signatures };
}

function expectCode(fn: () => unknown, code: number, log?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, "expected a CodedError").toBeInstanceOf(CodedError);
  expect((caught as CodedError).code, (caught as CodedError).log).toBe(code);
  expect((caught as CodedError).codespace).toBe("sdk");
  if (log) expect((caught as CodedError).log).toMatch(log);
}

const decode = (bytes: Uint8Array, limits: TxLimits = DEFAULT_TX_LIMITS, simulate = false): DecodedTx =>
  decodeTx(bytes, registry, limits, { simulate });

/** A field unknown to every schema here: field 99, varint 1. */
const UNKNOWN_FIELD = new Uint8Array([0x98, 0x06, 0x01]);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe("decodeTx on txs signed like @cosmjs/stargate", () => {
  it("decodes a signed MsgSend and its sign bytes verify", async () => {
    const tx = await build({ memo: "hi", timeoutHeight: 99n });
    const d = decode(tx.txBytes);
    expect(d.hashHex).toBe(toHexUpper(sha256(tx.txBytes)));
    expect(d.hashHex).toMatch(/^[0-9A-F]{64}$/);
    expect(d.memo).toBe("hi");
    expect(d.timeoutHeight).toBe(99n);
    expect(d.msgs).toHaveLength(1);
    expect(d.msgs[0]!.typeUrl).toBe(msgSend.typeUrl);
    expect(d.msgs[0]!.value).toEqual(
      MsgSend.fromPartial({
        fromAddress: alice.address,
        toAddress: bob.address,
        amount: coins("5", "uvivim"),
      }),
    );
    expect(d.fee).toEqual({
      amount: [{ denom: "uvivim", amount: "5000" }],
      gasLimit: 200_000n,
      payer: "",
      granter: "",
    });
    expect(d.signers).toHaveLength(1);
    const s = d.signers[0]!;
    expect(s).toMatchObject({ pubkeyType: "secp256k1", address: alice.address, sequence: 3n });
    expect(Buffer.from(s.pubkey).toString("hex")).toBe(
      "03d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b52",
    );
    expect(d.bodyBytes).toEqual(tx.bodyBytes);
    expect(d.authInfoBytes).toEqual(tx.authInfoBytes);

    const signBytes = signDocBytes(d.bodyBytes, d.authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER);
    expect(signBytes).toEqual(
      makeSignBytes(makeSignDoc(tx.bodyBytes, tx.authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER)),
    );
    expect(verifySignature(s.pubkeyType, s.pubkey, signBytes, s.signature)).toBe(true);
    // Wrong chain id or account number: same tx, signature no longer valid.
    expect(
      verifySignature(
        s.pubkeyType,
        s.pubkey,
        signDocBytes(d.bodyBytes, d.authInfoBytes, "other-1", ACCOUNT_NUMBER),
        s.signature,
      ),
    ).toBe(false);
    expect(
      verifySignature(
        s.pubkeyType,
        s.pubkey,
        signDocBytes(d.bodyBytes, d.authInfoBytes, CHAIN_ID, 8n),
        s.signature,
      ),
    ).toBe(false);
  });

  it("orders signers as Cosmos GetSigners does and checks each pubkey against its signer", async () => {
    const msgs = [
      send(alice.address, bob.address),
      send(bob.address, alice.address),
      send(alice.address, bob.address),
    ];
    const d = decode((await build({ msgs, signers: [alice, bob] })).txBytes);
    expect(d.signers.map((s) => s.address)).toEqual([alice.address, bob.address]);
    // Same msgs, but bob's key listed first: signer_info 0 does not belong to signer 0 (alice).
    const swapped = await build({ msgs, signers: [bob, alice] });
    expectCode(() => decode(swapped.txBytes), 24, /signer 0: public key belongs to/);
  });

  it("accepts the simulate tx cosmjs sends for fee 'auto', only in simulate mode", () => {
    const txBytes = Tx.encode(
      Tx.fromPartial({
        authInfo: AuthInfo.fromPartial({
          fee: {},
          signerInfos: [
            {
              publicKey: encodePubkey({
                type: "tendermint/PubKeySecp256k1",
                value: Buffer.from(alice.pubkey).toString("base64"),
              }),
              sequence: 3n,
              modeInfo: { single: { mode: 0 } },
            },
          ],
        }),
        body: TxBody.fromPartial({
          messages: [cosmjsRegistry.encodeAsAny(send(alice.address, bob.address))],
          memo: "",
        }),
        signatures: [new Uint8Array()],
      }),
    ).finish();
    const d = decode(txBytes, DEFAULT_TX_LIMITS, true);
    expect(d.signers[0]!.signature).toHaveLength(0);
    expect(d.fee.gasLimit).toBe(0n);
    expectCode(() => decode(txBytes), 37, /sign mode 0/);
  });

  it("accepts an ed25519 signer", async () => {
    const sk = ed25519.utils.randomSecretKey();
    const pk = ed25519.getPublicKey(sk);
    const from = addressOf("ed25519", pk);
    const bodyBytes = cosmjsRegistry.encode({
      typeUrl: "/cosmos.tx.v1beta1.TxBody",
      value: { messages: [send(from, bob.address)] },
    });
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
    const sig = ed25519.sign(signDocBytes(bodyBytes, authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER), sk);
    const d = decode(raw(bodyBytes, authInfoBytes, [sig]).txBytes);
    const s = d.signers[0]!;
    expect(s).toMatchObject({ pubkeyType: "ed25519", address: from });
    expect(
      verifySignature(
        s.pubkeyType,
        s.pubkey,
        signDocBytes(d.bodyBytes, d.authInfoBytes, CHAIN_ID, ACCOUNT_NUMBER),
        s.signature,
      ),
    ).toBe(true);
  });

  it("has the documented default limits", () => {
    expect(DEFAULT_TX_LIMITS).toEqual({
      maxTxBytes: 65536,
      maxAnyDepth: 8,
      maxMsgs: 32,
      maxMemoBytes: 512,
      maxSignatures: 7,
      maxGasLimit: 100_000_000n,
    });
  });
});

describe("decodeTx failure classes and their Cosmos codes", () => {
  it("TxTooLarge (21) before anything else", async () => {
    const tx = await build();
    expectCode(() => decode(tx.txBytes, { ...DEFAULT_TX_LIMITS, maxTxBytes: tx.txBytes.length - 1 }), 21);
    expectCode(() => decode(new Uint8Array(DEFAULT_TX_LIMITS.maxTxBytes + 1)), 21);
    expect(() => decode(tx.txBytes, { ...DEFAULT_TX_LIMITS, maxTxBytes: tx.txBytes.length })).not.toThrow();
  });

  it("TxDecode (2) for empty bytes and non-canonical TxRaw encodings", async () => {
    const tx = await build();
    expectCode(() => decode(new Uint8Array()), 2, /empty/);
    expectCode(() => decode(concat(tx.txBytes, new Uint8Array([0]))), 2);
    // auth_info_bytes before body_bytes: same content, different hash (ADR-027).
    const w = BinaryWriter.create()
      .uint32(18)
      .bytes(tx.authInfoBytes)
      .uint32(10)
      .bytes(tx.bodyBytes)
      .uint32(26)
      .bytes(tx.signatures[0]!);
    expectCode(() => decode(w.finish()), 2, /ascending order/);
    // body_bytes twice: a decoder that keeps the last copy would see another body.
    expectCode(
      () => decode(concat(BinaryWriter.create().uint32(10).bytes(new Uint8Array()).finish(), tx.txBytes)),
      2,
      /occurs twice/,
    );
  });

  it("TxDecode (2) for an unknown field in the body", async () => {
    const tx = await build();
    expectCode(
      () => decode(raw(concat(tx.bodyBytes, UNKNOWN_FIELD), tx.authInfoBytes, tx.signatures).txBytes),
      2,
      /cosmos\.tx\.v1beta1\.TxBody: unknown field 99/,
    );
  });

  it("TxDecode (2) for an unknown field in the auth info and in TxRaw", async () => {
    const tx = await build();
    expectCode(
      () => decode(raw(tx.bodyBytes, concat(tx.authInfoBytes, UNKNOWN_FIELD), tx.signatures).txBytes),
      2,
      /AuthInfo: unknown field 99/,
    );
    expectCode(() => decode(concat(tx.txBytes, UNKNOWN_FIELD)), 2, /TxRaw: unknown field 99/);
  });

  it("TxDecode (2) for an unknown field inside the MsgSend", async () => {
    const value = concat(
      MsgSend.encode(
        MsgSend.fromPartial({
          fromAddress: alice.address,
          toAddress: bob.address,
          amount: coins("5", "uvivim"),
        }),
      ).finish(),
      UNKNOWN_FIELD,
    );
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: [{ typeUrl: msgSend.typeUrl, value }] }),
    ).finish();
    const tx = await build({ bodyBytes });
    expectCode(() => decode(tx.txBytes), 2, /cosmos\.bank\.v1beta1\.MsgSend: unknown field 99/);
  });

  it("TxDecode (2) for invalid UTF-8 in the memo", async () => {
    const body = cosmjsRegistry.encode({
      typeUrl: "/cosmos.tx.v1beta1.TxBody",
      value: { messages: [send(alice.address, bob.address)] },
    });
    const tx = await build({ bodyBytes: concat(body, new Uint8Array([0x12, 1, 0xff])) });
    expectCode(() => decode(tx.txBytes), 2, /field 2 \(memo\): invalid UTF-8/);
  });

  it("UnpackAny (34) for an Any nested past the cap, an unknown type and a non-Msg", async () => {
    const nest = (depth: number): Uint8Array => {
      let value: Uint8Array = new Uint8Array();
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
    };
    const body = (typeUrl: string, value: Uint8Array) =>
      TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl, value }] })).finish();
    // TxBody > Nest (1) > ... > Nest (9): one level past maxAnyDepth 8.
    expectCode(
      () => decode(raw(body("/vivim.test.Nest", nest(8)), new Uint8Array(), []).txBytes),
      34,
      /nested deeper than 8/,
    );
    // Within the cap it strict-decodes, but a Nest is not a Msg.
    expectCode(
      () => decode(raw(body("/vivim.test.Nest", nest(7)), new Uint8Array(), []).txBytes),
      34,
      /not a registered Msg/,
    );
    expectCode(
      () => decode(raw(body("/cosmos.gov.v1beta1.MsgVote", new Uint8Array()), new Uint8Array(), []).txBytes),
      34,
      /unresolvable type_url/,
    );
  });

  it("InvalidRequest (18) for too many messages and for none", async () => {
    const tx = await build({ msgs: Array.from({ length: 33 }, () => send(alice.address, bob.address)) });
    expectCode(() => decode(tx.txBytes), 18, /too many messages: 33 > 32/);
    expect(() => decode(tx.txBytes, { ...DEFAULT_TX_LIMITS, maxMsgs: 33 })).not.toThrow();
    const empty = await build({ msgs: [] });
    expectCode(() => decode(empty.txBytes), 18, /at least one message/);
  });

  it("MemoTooLarge (12) over 512 bytes, counted in UTF-8 bytes", async () => {
    const max = await build({ memo: "x".repeat(512) });
    expect(decode(max.txBytes).memo).toHaveLength(512);
    const tx = await build({ memo: "x".repeat(513) });
    expectCode(() => decode(tx.txBytes), 12, /memo is 513 bytes, max 512/);
    const euro = await build({ memo: "€".repeat(171) }); // 513 bytes, 171 characters
    expectCode(() => decode(euro.txBytes), 12);
  });

  it("NoSignatures (15) for a missing signature, Unauthorized (4) for count mismatches", async () => {
    const tx = await build();
    expectCode(() => decode(raw(tx.bodyBytes, tx.authInfoBytes, []).txBytes), 15);
    expectCode(
      () => decode(raw(tx.bodyBytes, tx.authInfoBytes, [tx.signatures[0]!, tx.signatures[0]!]).txBytes),
      4,
      /wrong number of signatures/,
    );
    const two = await build({ signers: [alice, bob] });
    expectCode(
      () => decode(raw(tx.bodyBytes, two.authInfoBytes, two.signatures).txBytes),
      4,
      /wrong number of signer infos/,
    );
  });

  it("TooManySignatures (14) past maxSignatures", async () => {
    const tx = await build({
      msgs: [send(alice.address, bob.address), send(bob.address, alice.address)],
      signers: [alice, bob],
    });
    expectCode(() => decode(tx.txBytes, { ...DEFAULT_TX_LIMITS, maxSignatures: 1 }), 14);
  });

  it("InvalidSigner (24) when the pubkey is not the msg signer's", async () => {
    const tx = await build({ signers: [bob] }); // alice's MsgSend signed and keyed by bob
    expectCode(
      () => decode(tx.txBytes),
      24,
      new RegExp(`belongs to ${bob.address}, but the message signer is ${alice.address}`),
    );
  });

  it("Unauthorized (4) for a high-S signature and for a signature of the wrong length", async () => {
    const tx = await build();
    const sig = tx.signatures[0]!;
    const n = secp256k1.Point.CURVE().n;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
    const high = concat(sig.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, "0"), "hex"));
    expectCode(() => decode(raw(tx.bodyBytes, tx.authInfoBytes, [high]).txBytes), 4, /lower-S/);
    expectCode(
      () => decode(raw(tx.bodyBytes, tx.authInfoBytes, [sig.subarray(0, 63)]).txBytes),
      4,
      /must be 64 bytes/,
    );
  });

  it("InvalidPubKey (8) for a missing, malformed or unsupported key; UnpackAny (34) for an unknown key type", async () => {
    const tx = await build();
    const withKey = (publicKey: { typeUrl: string; value: Uint8Array } | undefined) =>
      raw(
        tx.bodyBytes,
        AuthInfo.encode(
          AuthInfo.fromPartial({
            signerInfos: [{ publicKey, modeInfo: { single: { mode: 1 } } }],
            fee: { amount: coins("1", "uvivim"), gasLimit: 1n },
          }),
        ).finish(),
        tx.signatures,
      ).txBytes;
    const key = (k: Uint8Array) => BinaryWriter.create().uint32(10).bytes(k).finish();
    expectCode(() => decode(withKey(undefined)), 8, /public key is required/);
    expectCode(
      () =>
        decode(
          withKey({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: key(alice.pubkey.subarray(0, 32)) }),
        ),
      8,
      /33 bytes/,
    );
    expectCode(
      () =>
        decode(
          withKey({
            typeUrl: "/cosmos.crypto.secp256k1.PubKey",
            value: key(concat(new Uint8Array([4]), alice.pubkey.subarray(1))),
          }),
        ),
      8,
    );
    expectCode(
      () => decode(withKey({ typeUrl: "/cosmos.crypto.ed25519.PubKey", value: key(new Uint8Array(33)) })),
      8,
      /32 bytes/,
    );
    expectCode(
      () => decode(withKey({ typeUrl: "/cosmos.crypto.secp256r1.PubKey", value: key(alice.pubkey) })),
      8,
      /unsupported public key type/,
    );
    expectCode(
      () => decode(withKey({ typeUrl: "/cosmos.crypto.bn254.PubKey", value: key(alice.pubkey) })),
      34,
    );
  });

  it("NotSupported (37) for other sign modes and multisig", async () => {
    const amino = await build({ signMode: 127 });
    expectCode(() => decode(amino.txBytes), 37, /sign mode 127/);
    const tx = await build();
    const pubkey = encodePubkey({
      type: "tendermint/PubKeySecp256k1",
      value: Buffer.from(alice.pubkey).toString("base64"),
    });
    const multi = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [{ publicKey: pubkey, modeInfo: { multi: { modeInfos: [{ single: { mode: 1 } }] } } }],
        fee: {},
      }),
    ).finish();
    expectCode(() => decode(raw(tx.bodyBytes, multi, tx.signatures).txBytes), 37, /multisig/);
  });

  it("UnknownExtensionOptions (31); NotSupported (37) for unordered, timeout_timestamp and tips", async () => {
    const msg = {
      typeUrl: msgSend.typeUrl,
      value: MsgSend.encode(
        MsgSend.fromPartial({
          fromAddress: alice.address,
          toAddress: bob.address,
          amount: coins("5", "uvivim"),
        }),
      ).finish(),
    };
    const bodyWith = async (extra: Partial<TxBody>) =>
      (await build({ bodyBytes: TxBody.encode(TxBody.fromPartial({ messages: [msg], ...extra })).finish() }))
        .txBytes;
    const ext = { typeUrl: "/ethermint.types.v1.ExtensionOptionsWeb3Tx", value: new Uint8Array() };
    const ext1 = await bodyWith({ extensionOptions: [ext] });
    expectCode(() => decode(ext1), 31);
    const ext2 = await bodyWith({ nonCriticalExtensionOptions: [ext] });
    expectCode(() => decode(ext2), 31);
    const unordered = await bodyWith({ unordered: true });
    expectCode(() => decode(unordered), 37, /unordered/);
    const timeout = await bodyWith({ timeoutTimestamp: { seconds: 1n, nanos: 0 } });
    expectCode(() => decode(timeout), 37, /timeout_timestamp/);
    const tx = await build();
    const auth = AuthInfo.decode(tx.authInfoBytes);
    const tip = AuthInfo.encode({
      ...auth,
      tip: { amount: coins("1", "uvivim"), tipper: alice.address },
    }).finish();
    expectCode(() => decode(raw(tx.bodyBytes, tip, tx.signatures).txBytes), 37, /tips/);
  });

  it("InvalidCoins (10) for bad fee coins", async () => {
    const withFee = async (amount: Array<{ denom: string; amount: string }>, gas = 1000) =>
      (await build({ fee: { amount, gas } })).txBytes;
    const c = (denom: string, amount = "1") => ({ denom, amount });
    expect(decode(await withFee([])).fee.amount).toEqual([]);
    expect(
      decode(
        await withFee([
          c("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"),
          c("uatom", "0"),
        ]),
      ).fee.amount,
    ).toHaveLength(2);
    const bad: Array<[Array<{ denom: string; amount: string }>, RegExp]> = [
      [[c("1uatom")], /invalid denom/],
      [[c("ua")], /invalid denom/],
      [[c("u atom")], /invalid denom/],
      [[c("uatom", "-1")], /invalid amount/],
      [[c("uatom", "01")], /invalid amount/],
      [[c("uatom", "")], /invalid amount/],
      [[c("uatom", "1.5")], /invalid amount/],
      [[c("uatom", (1n << 256n).toString())], /invalid amount/],
      [[c("uvivim"), c("uatom")], /sorted/],
      [[c("uatom"), c("uatom")], /sorted/],
    ];
    for (const [amount, log] of bad) {
      const tx = await withFee(amount);
      expectCode(() => decode(tx), 10, log);
    }
  });

  it("InvalidGasLimit (41) above maxGasLimit", async () => {
    const over = await build({ fee: { amount: [], gas: 100_000_001 } });
    expectCode(() => decode(over.txBytes), 41, /gas limit 100000001 exceeds max 100000000/);
    const max = await build({ fee: { amount: [], gas: 100_000_000 } });
    expect(decode(max.txBytes).fee.gasLimit).toBe(100_000_000n);
  });

  it("validateBasic failures keep their own code", async () => {
    const tx = await build({ msgs: [send(alice.address, bob.address, "0")] });
    expectCode(() => decode(tx.txBytes), 10, /amount must be positive/);
    const badAddr = await build({
      msgs: [send(alice.address, "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a")],
    });
    expectCode(() => decode(badAddr.txBytes), 7);
  });
});

describe("signDocBytes", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

  it("matches the reference vector (cosmjs-surface.md §6)", () => {
    const body = new Uint8Array([0x0a, 0x00]);
    const auth = new Uint8Array([0x12, 0x00]);
    expect(hex(signDocBytes(body, auth, "probe-1", 0n))).toBe("0a020a00120212001a0770726f62652d31");
    expect(hex(signDocBytes(body, auth, "probe-1", 300n))).toBe("0a020a00120212001a0770726f62652d3120ac02");
  });

  it("is byte-identical to cosmjs makeSignBytes, including multi-byte lengths and large account numbers", () => {
    // Not in [2^31, 2^32): cosmjs-types 0.11's BinaryWriter.uint64 mis-encodes that range.
    for (const acc of [0n, 1n, 127n, 128n, 2n ** 31n - 1n, 2n ** 40n, 2n ** 64n - 1n]) {
      for (const size of [0, 1, 127, 128, 3000]) {
        const body = new Uint8Array(size).fill(7);
        const auth = new Uint8Array(size >> 1).fill(9);
        expect(signDocBytes(body, auth, CHAIN_ID, acc)).toEqual(
          makeSignBytes(makeSignDoc(body, auth, CHAIN_ID, acc)),
        );
      }
    }
  });
});

describe("MsgRegistry", () => {
  it("looks definitions up by type URL and resolves only what each part of a tx may carry", () => {
    expect(registry.get(msgSend.typeUrl)).toBe(msgSend);
    expect(registry.get("/vivim.test.Nest")).toBeUndefined();
    expect(registry.resolveBodyAny("/vivim.test.Nest")).toBe(NestSchema);
    expect(registry.resolveBodyAny("/cosmos.crypto.secp256k1.PubKey")).toBeUndefined();
    expect(registry.resolveAuthInfoAny("/cosmos.crypto.secp256k1.PubKey")).toBeDefined();
    expect(registry.resolveAuthInfoAny(msgSend.typeUrl)).toBeUndefined();
    expect(registry.resolveAuthInfoAny("toString")).toBeUndefined();
    expect(registry.typeUrls).toEqual([msgSend.typeUrl]);
  });

  it("throws at construction on a duplicate or malformed type URL", () => {
    expect(() => new MsgRegistry([msgSend, msgSend])).toThrow(/duplicate/);
    expect(() => new MsgRegistry([msgSend], [{ typeUrl: msgSend.typeUrl, schema: NestSchema }])).toThrow(
      /duplicate/,
    );
    expect(() => new MsgRegistry([{ ...msgSend, typeUrl: "cosmos.bank.v1beta1.MsgSend" }])).toThrow(
      /malformed/,
    );
  });
});
