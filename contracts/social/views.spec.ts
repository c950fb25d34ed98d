/** Label policies on content views: SHOW, ANNOTATE (default) and HIDE, for content and author labels. */
import { describe, expect, it } from "vitest";
import { LabelKeys } from "../labels/keys.js";
import { SubjectLabels } from "../labels/records.js";
import type { KVReader } from "../types.js";
import { ContentKind, LabelPolicy, RetentionTier, Visibility } from "./enums.js";
import type { StoredContent } from "./keeper.js";
import { SocialKeys } from "./keys.js";
import { ContentViews } from "./query.js";
import { Community, ZERO_COUNTS } from "./records.js";

const AUTHOR = "vivim1qyqszqgpqyqszqgpqyqszqgpqyqszqgpq69hez";
const NOW = 1_800_000_000n;

function content(id: bigint, createdAt = NOW): StoredContent {
  return {
    record: {
      id,
      kind: ContentKind.POST,
      author: AUTHOR,
      communityId: 1n,
      parentId: 0n,
      rootId: id,
      depth: 0,
      path: new Uint8Array(),
      createdHeight: 3n,
      createdAt,
      editCount: 0,
      editedHeight: 0n,
      deleted: false,
      deletedBy: "",
      deletedHeight: 0n,
      title: `t${id}`,
      body: "b",
      link: "",
      collaborators: [],
      deleteReason: "",
    },
    counts: ZERO_COUNTS,
  };
}

function makeStore(
  labels: Record<string, Array<{ value: string; expiresAt?: bigint }>>,
  retention = RetentionTier.FEEDS,
): KVReader {
  const m = new Map<string, Uint8Array>();
  const put = (k: Uint8Array, v: Uint8Array) => m.set(Buffer.from(k).toString("hex"), v);
  for (const [subject, entries] of Object.entries(labels))
    put(
      LabelKeys.active(subject),
      SubjectLabels.encode({
        entries: entries.map((e, i) => ({
          value: e.value,
          issuer: AUTHOR,
          labelId: BigInt(i + 1),
          expiresAt: e.expiresAt ?? 0n,
          createdHeight: 1n,
        })),
      }).finish(),
    );
  put(
    SocialKeys.community(1n),
    Community.encode(
      Community.fromPartial({ id: 1n, slug: "c", name: "C", visibility: Visibility.PUBLIC, retention }),
    ).finish(),
  );
  return { get: (k) => m.get(Buffer.from(k).toString("hex")) };
}

describe("content views", () => {
  it("ANNOTATE (the default) attaches the labels in force; SHOW skips the lookup", () => {
    const store = makeStore({ "content:1": [{ value: "spam" }, { value: "old", expiresAt: NOW - 1n }] });
    const annotated = new ContentViews(store, NOW, LabelPolicy.UNSPECIFIED).view(content(1n));
    expect(annotated).toMatchObject({ labels: ["spam"], hidden: false, title: "t1" });
    const shown = new ContentViews(store, NOW, LabelPolicy.SHOW).view(content(1n));
    expect(shown).toMatchObject({ labels: [], hidden: false, title: "t1" });
  });

  it("HIDE withholds content labelled itself or through its author", () => {
    const byContent = makeStore({ "content:1": [{ value: "nsfw" }] });
    const views = new ContentViews(byContent, NOW, LabelPolicy.HIDE);
    expect(views.view(content(1n))).toMatchObject({ hidden: true, title: "", body: "", labels: ["nsfw"] });
    expect(views.view(content(2n))).toMatchObject({ hidden: false, title: "t2" });
    const byAuthor = makeStore({ [`account:${AUTHOR}`]: [{ value: "impersonation" }] });
    expect(new ContentViews(byAuthor, NOW, LabelPolicy.HIDE).view(content(2n))).toMatchObject({
      hidden: true,
      authorLabels: ["impersonation"],
    });
  });

  it("content past its community's retention tier keeps its header, not its text", () => {
    const store = makeStore({}, RetentionTier.EPHEMERAL);
    const views = new ContentViews(store, NOW, LabelPolicy.ANNOTATE);
    expect(views.view(content(1n, NOW - 86_400n))).toMatchObject({ expired: true, title: "" });
    expect(views.view(content(2n, NOW - 86_399n))).toMatchObject({ expired: false, title: "t2" });
  });
});
