import { describe, expect, it } from "vitest";
import { CHAIN_ID, dmCode as code, identityOf, str, T0, text } from "../../test/support/dm-fixtures.js";
import { sortAddresses } from "./envelope.js";
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
  applyRemoveNotice,
  changeMembers,
  type KeptGroup,
  keepOwnKey,
  keepReceivedKey,
  keyRef,
  ownKeyFits,
  ownKeyOf,
  receivedKeyOf,
  sentWhileMember,
} from "./group-state.js";

async function people() {
  const [alice, bob, carol, dave] = await Promise.all(
    (["alice", "bob", "carol", "dave"] as const).map((n) => identityOf(n)),
  );
  return { alice: alice!, bob: bob!, carol: carol!, dave: dave! };
}

describe("group notices", () => {
  it("round-trips key, leave and remove notices, and refuses malformed ones", async () => {
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
    const withAdmin = encodeGroupNotice({
      kind: "key",
      groupId,
      name: "g",
      admin: alice.address,
      distribution,
    });
    expect(decodeGroupNotice(withAdmin)).toEqual({
      kind: "key",
      groupId,
      name: "g",
      admin: alice.address,
      distribution,
    });
    const leave = encodeGroupNotice({ kind: "leave", groupId });
    expect(decodeGroupNotice(leave)).toEqual({ kind: "leave", groupId });
    const remove = encodeGroupNotice({ kind: "remove", groupId, member: bob.address });
    expect(decodeGroupNotice(remove)).toEqual({ kind: "remove", groupId, member: bob.address });
    expect(code(() => decodeGroupNotice(remove.slice(0, -1)))).toBe("BAD_ENVELOPE");
    expect(code(() => decodeGroupNotice(Uint8Array.from([...remove, 0])))).toBe("BAD_ENVELOPE");
    expect(code(() => encodeGroupNotice({ kind: "remove", groupId, member: "bob" }))).toBe("BAD_ENVELOPE");

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

  it("takes membership from the admin's latest notice; a member's only adds a key; a leave removes its sender", async () => {
    const { alice, bob, carol, dave } = await people();
    const groupId = newGroupId();
    const keyNotice = (from: typeof alice, members: string[], admin = alice.address) => {
      const n = decodeGroupNotice(
        encodeGroupNotice({
          kind: "key",
          groupId,
          name: `by ${members.length}`,
          admin,
          distribution: encodeSenderKeyDistribution(
            createSenderKey({ chainId: CHAIN_ID, groupId, identity: from, members }),
          ),
        }),
      );
      if (n.kind !== "key") throw new Error("key notice expected");
      return n;
    };
    const three = [alice.address, bob.address, carol.address];
    const four = sortAddresses([...three, dave.address]);
    const ctx = (from: string, sentAt: number) => ({ chainId: CHAIN_ID, from, self: bob.address, sentAt });
    let g = applyKeyNotice(undefined, keyNotice(alice, three), ctx(alice.address, T0))!;
    expect(g.admin).toBe(alice.address);
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
    // A member who is not the admin adds their key but cannot change the list, even claiming to be admin.
    for (const admin of [alice.address, carol.address]) {
      const byCarol = applyKeyNotice(g, keyNotice(carol, four, admin), ctx(carol.address, T0 + 5))!;
      expect(byCarol.members).toEqual(g.members);
      expect(byCarol.admin).toBe(alice.address);
      expect(Object.keys(byCarol.keys)).toHaveLength(2);
    }
    // An older notice of the admin adds the key but does not roll the list back.
    const older = applyKeyNotice(
      g,
      keyNotice(alice, [alice.address, bob.address]),
      ctx(alice.address, T0 - 5),
    )!;
    expect(older.members).toEqual(g.members);

    // The admin's later notice adds dave, seen as an event; our key no longer fits the list.
    g = applyKeyNotice(g, keyNotice(alice, four), ctx(alice.address, T0 + 6))!;
    expect(g.members).toEqual(four);
    expect(g.events).toEqual([{ kind: "added", member: dave.address, by: alice.address, at: T0 + 6 }]);
    expect(ownKeyFits(g, CHAIN_ID, bob.address)).toBe(false);

    // Only the admin removes, and an older removal does not undo a later list.
    const remove = (from: string, member: string, sentAt: number) =>
      applyRemoveNotice(g, { from, member, self: bob.address, sentAt });
    expect(remove(carol.address, dave.address, T0 + 7)).toBeUndefined();
    expect(remove(alice.address, dave.address, T0 + 5)).toBeUndefined();
    g = remove(alice.address, dave.address, T0 + 7)!;
    expect(g.members).toEqual(sortAddresses(three));
    expect(g.events?.at(-1)).toEqual({
      kind: "removed",
      member: dave.address,
      by: alice.address,
      at: T0 + 7,
    });

    g = applyLeaveNotice(g, carol.address, T0 + 10)!;
    expect(g.members).not.toContain(carol.address);
    expect(g.events?.at(-1)).toMatchObject({ kind: "left", member: carol.address });
    expect(applyLeaveNotice(g, dave.address, T0 + 11)).toBeUndefined();

    // Carol's messages from before she left are still taken; later ones, and a stranger's, are not.
    expect(sentWhileMember(g, carol.address, T0 + 9)).toBe(true);
    expect(sentWhileMember(g, carol.address, T0 + 10)).toBe(false);
    expect(sentWhileMember(g, alice.address, T0 + 99)).toBe(true);
    expect(sentWhileMember(g, dave.address, T0 + 6)).toBe(true);
    expect(sentWhileMember(g, dave.address, T0 + 7)).toBe(false);
    expect(sentWhileMember(g, "vivim1stranger", T0)).toBe(false);

    // The admin removes us: we are out, our key is gone, and notices sent before do not bring us back.
    const out = remove(alice.address, bob.address, T0 + 20)!;
    expect(out).toMatchObject({ left: true, removed: true, updatedAt: T0 + 20 });
    expect(out.own).toBeUndefined();
    expect(applyKeyNotice(out, keyNotice(alice, three), ctx(alice.address, T0 + 15))).toBeUndefined();
    expect(applyKeyNotice(out, keyNotice(carol, three), ctx(carol.address, T0 + 25))).toBeUndefined();
    // The admin adding us back later does.
    const back = applyKeyNotice(out, keyNotice(alice, three), ctx(alice.address, T0 + 25))!;
    expect(back.left).toBeUndefined();
    expect(back.removed).toBeUndefined();
  });

  it("lets only the admin add and remove, within the group's bounds", async () => {
    const { alice, bob, carol, dave } = await people();
    const g: KeptGroup = {
      name: "g",
      admin: alice.address,
      members: sortAddresses([alice.address, bob.address, carol.address]),
      sentTo: [],
      keys: {},
      updatedAt: T0,
    };
    const added = changeMembers(g, { self: alice.address, add: dave.address, now: T0 + 1 });
    expect(added.members).toEqual(sortAddresses([...g.members, dave.address]));
    expect(added.events).toEqual([{ kind: "added", member: dave.address, by: alice.address, at: T0 + 1 }]);
    const removed = changeMembers(added, { self: alice.address, remove: bob.address, now: T0 + 2 });
    expect(removed.members).not.toContain(bob.address);
    expect(removed.events).toHaveLength(2);

    expect(code(() => changeMembers(g, { self: bob.address, add: dave.address, now: T0 }))).toBe("NOT_ADMIN");
    expect(
      code(() =>
        changeMembers({ ...g, admin: undefined }, { self: alice.address, add: dave.address, now: T0 }),
      ),
    ).toBe("NOT_ADMIN");
    expect(code(() => changeMembers(g, { self: alice.address, add: bob.address, now: T0 }))).toBe(
      "BAD_MEMBER",
    );
    expect(code(() => changeMembers(g, { self: alice.address, remove: dave.address, now: T0 }))).toBe(
      "BAD_MEMBER",
    );
    expect(code(() => changeMembers(g, { self: alice.address, remove: alice.address, now: T0 }))).toBe(
      "BAD_MEMBER",
    );
    expect(code(() => changeMembers(g, { self: alice.address, add: "vivim1nothing", now: T0 }))).toBe(
      "BAD_ENVELOPE",
    );
    expect(
      code(() => changeMembers({ ...g, left: true }, { self: alice.address, add: dave.address, now: T0 })),
    ).toBe("NOT_RECIPIENT");
    const two = changeMembers(g, { self: alice.address, remove: carol.address, now: T0 });
    expect(code(() => changeMembers(two, { self: alice.address, remove: bob.address, now: T0 }))).toBe(
      "BAD_MEMBER",
    );
  });
});
