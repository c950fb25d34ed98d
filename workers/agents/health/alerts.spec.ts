import { describe, expect, it } from "vitest";
import { alertPost, newAlert, parseAlert, postId } from "./alerts.js";
import type { Finding } from "./checks.js";

const finding: Finding = {
  key: "chain-stalled:chain:vivim-test",
  kind: "chain-stalled",
  severity: "critical",
  subject: "chain:vivim-test",
  message: "no new block for more than 10 s after height 57",
};

describe("alerts", () => {
  it("an alert's #ops post depends on the alert, not on when it was seen", () => {
    const a = newAlert(finding, 57, 1_000);
    const later = { ...newAlert(finding, 57, 99_000), lastSeen: 120_000 };
    expect(alertPost(a)).toEqual(alertPost(later));
    expect(postId(a)).toBe(postId(later));
    const post = alertPost(a);
    expect(post.community).toBe("ops");
    expect(post.title).toBe("[critical] chain-stalled: chain:vivim-test");
    expect(post.body).toContain("`chain-stalled:chain:vivim-test`");
    expect(post.body).toContain("first seen at height 57");
    expect(post.body).not.toContain("1000");
    // Raised again at another height: another post.
    expect(alertPost(newAlert(finding, 80, 1_000))).not.toEqual(post);
  });

  it("titles stay within the chain's limit", () => {
    const long = { ...finding, subject: `node:http://${"x".repeat(400)}` };
    expect(alertPost(newAlert(long, 1, 1)).title.length).toBeLessThanOrEqual(200);
  });

  it("parseAlert checks what Redis holds", () => {
    const a = newAlert(finding, 57, 1_000);
    expect(parseAlert(JSON.stringify(a))).toEqual(a);
    expect(parseAlert("{")).toBeUndefined();
    expect(parseAlert(JSON.stringify({ ...a, severity: "fatal" }))).toBeUndefined();
    expect(parseAlert(JSON.stringify({ ...a, height: "57" }))).toBeUndefined();
    expect(parseAlert(JSON.stringify({ ...a, message: "x".repeat(5000) }))).toBeUndefined();
  });
});
