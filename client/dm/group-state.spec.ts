import { describe, expect, it } from "vitest";
import { CHAIN_ID, dmCode as code, identityOf, str, T0, text } from "../../test/support/dm-fixtures.js";
import {
  createSenderKey,
  encodeSenderKeyDistribution,
  newGroupId,
  openGroupMessage,
  sealGroupMessage,
} from "./group.js";
import { decodeGroupNotice, encodeGroupNotice, isGroupNotice, normalizeGroupName } from "./group-notice.js";
import {
  applyKeyNotice,
  applyLeaveNotice,
  keepOwnKey,
  keepReceivedKey,
  keyRef,
  ownKeyFits,
  ownKeyOf,
  receivedKeyOf,
} from "./group-state.js";

async function people() {
  const [alice, bob, carol, dave] = await Promise.all(
    (["alice", "bob", "carol", "dave"] as const).map((n) => identityOf(n)),
  );
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave! };
}

describe("group notices", () => {
  it("round-trips a key notice and a leave notice, and refuses malformed ones", async () => {
    const { alice, bob } = await people();
    const groupId = newGroupId();
    const key = createSenderKey({
      chainId: CHAIN_ID,
      groupId,
      identity: alice,
      members: [alice.address, bob.address],
    });
    const distribution = encodeSenderKeyDistribution(key);
    const bytes = encodeGroupNotice({ kind: "key", groupId, name: "  Launch\n crew ", distribution });
    expect(isGroupNotice(bytes)).toBe(true);
    expect(decodeGroupNotice(bytes)).toEqual({ kind: "key", groupId, name: "Launch crew", distribution });
    const leave = encodeGroupNotice({ kind: "leave", groupId });
    expect(decodeGroupNotice(leave)).toEqual({ kind: "leave", groupId });

    expect(isGroupNotice(text("hello there"))).toBe(false);
    expect(code(() => decodeGroupNotice(bytes.slice(0, 40)))).toBe("BAD_ENVELOPE");
    expect(code(() => decodeGroupNotice(Uint8Array.from([...leave, 0])))).toBe("BAD_ENVELOPE");
    const wrongKind = Uint8Array.from(leave);
    wrongKind[5] = 9;
    expect(code(() => decodeGroupNotice(wrongKind))).toBe("BAD_ENVELOPE");
    expect(code(() => normalizeGroupName("   "))).toBe("BAD_ENVELOPE");
    expect(code(() => normalizeGroupName("x".repeat(65)))).toBe("TOO_LARGE");
    expect(
      code(() => encodeGroupNotice({ kind: "key", groupId, name: "a", distribution: text("nope") })),
    ).toBe("BAD_ENVELOPE");
  });
});

describe("a member's kept group", () => {
  it("keeps sender keys as text that still opens messages, skipped counters included", async () => {
    const { alice, bob, carol } = await people();
    const groupId = newGroupId();
    const members = [alice.address, bob.address, carol.address];
    let own = createSenderKey({ chainId: CHAIN_ID, groupId, identity: alice, members });
    expect(ownKeyOf(keepOwnKey(own), CHAIN_ID, alice.address)).toEqual(own);
    const notice = decodeGroupNotice(
      encodeGroupNotice({ kind: "key", groupId, name: "g", distribution: encodeSenderKeyDistribution(own) }),
    );
    if (notice.kind !== "key") throw new Error("key notice expected");
    const joined = applyKeyNotice(undefined, notice, {
      chainId: CHAIN_ID,
      from: alice.address,
      self: bob.address,
      sentAt: T0,
    })!;
    expect(joined).toMatchObject({ name: "g", members: [...own.members], sentTo: [], updatedAt: T0 });

    const sent: Uint8Array[] = [];
    for (const m of ["m0", "m1"]) {
      const r = sealGroupMessage(own, alice, { plaintext: text(m), sentAt: T0, retention: "sessions" });
      sent.push(r.bytes);
      own = r.senderKey;
    }
    const ref = keyRef(alice.address, own.senderKeyId);
    const open = (bytes: Uint8Array) =>
      openGroupMessage(bytes, {
        chainId: CHAIN_ID,
        now: T0,
        identity: bob,
        senderKeys: (sender, id) =>
          keyRef(sender, id) === ref ? receivedKeyOf(joined.keys[ref]!, CHAIN_ID, bob.address) : undefined,
      });
    // m1 first: m0's key is kept as skipped, and survives being written down and read back.
    const first = open(sent[1]!);
    expect(str(first.plaintext)).toBe("m1");
    joined.keys[ref] = keepReceivedKey(first.senderKey);
    expect(str(open(sent[0]!).plaintext)).toBe("m0");
    expect(receivedKeyOf(joined.keys[ref]!, CHAIN_ID, bob.address).recv.skipped.size).toBe(1);
  });

  it("takes membership from the latest notice of a member, and a leave removes its sender", async () => {
    const { alice, bob, carol, dave } = await people();
    const groupId = newGroupId();
    const keyNotice = (from: typeof alice, members: string[]) => {
      const n = decodeGroupNotice(
        encodeGroupNotice({
          kind: "key",
          groupId,
          name: `by ${members.length}`,
          distribution: encodeSenderKeyDistribution(
            createSenderKey({ chainId: CHAIN_ID, groupId, identity: from, members }),
          ),
        }),
      );
      if (n.kind !== "key") throw new Error("key notice expected");
      return n;
    };
    const three = [alice.address, bob.address, carol.address];
    const ctx = (from: string, sentAt: number) => ({ chainId: CHAIN_ID, from, self: bob.address, sentAt });
    let g = applyKeyNotice(undefined, keyNotice(alice, three), ctx(alice.address, T0))!;
    g.own = keepOwnKey(createSenderKey({ chainId: CHAIN_ID, groupId, identity: bob, members: three }));
    expect(ownKeyFits(g, CHAIN_ID, bob.address)).toBe(true);

    // Someone not in the group cannot change it, even naming us.
    expect(
      applyKeyNotice(g, keyNotice(dave, [...three, dave.address]), ctx(dave.address, T0 + 5)),
    ).toBeUndefined();
    // A key distributed by someone else than its sender is refused.
    expect(code(() => applyKeyNotice(g, keyNotice(alice, three), ctx(carol.address, T0 + 5)))).toBe(
      "SESSION_MISMATCH",
    );
    // An older notice adds the key but does not roll the list back.
    const older = applyKeyNotice(
      g,
      keyNotice(carol, [bob.address, carol.address]),
      ctx(carol.address, T0 - 5),
    )!;
    expect(older.members).toEqual(g.members);
    expect(Object.keys(older.keys)).toHaveLength(2);

    g = applyLeaveNotice(g, carol.address, T0 + 10)!;
    expect(g.members).not.toContain(carol.address);
    expect(ownKeyFits(g, CHAIN_ID, bob.address)).toBe(false);
    expect(applyLeaveNotice(g, dave.address, T0 + 11)).toBeUndefined();

    // Once we left, notices sent before we left do not bring us back.
    const left = { ...g, left: true as const, updatedAt: T0 + 20 };
    expect(applyKeyNotice(left, keyNotice(alice, three), ctx(alice.address, T0 + 15))).toBeUndefined();
    expect(applyKeyNotice(left, keyNotice(alice, three), ctx(alice.address, T0 + 25))?.left).toBeUndefined();
  });
});
