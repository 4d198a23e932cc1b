import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { BYTES_FRAME_MAX, BYTES_WINDOW, type BytesFrame, type CreditFrame } from "../../../protocol/byte-frames.js";
import { ByteLinks } from "../../../relay/ops/byte-links.js";

const ID = "00000000-0000-4000-8000-000000000001";
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("the relay's byte links", () => {
  it("a sender never passes the edge's credit, in frames of at most BYTES_FRAME_MAX, and goes on when credited", async () => {
    const frames: BytesFrame[] = [];
    const links = new ByteLinks((f) => (f.type === "bytes" && frames.push(f), true));
    const out = links.sender(ID);
    const data = Buffer.alloc(BYTES_WINDOW + 1000, 1);
    const written = new Promise<void>((resolve) => out.write(data, () => resolve()));
    await new Promise((r) => setImmediate(r));
    const sent = () => frames.reduce((n, f) => n + Buffer.from(f.data, "base64").length, 0);
    expect(sent()).toBe(BYTES_WINDOW);
    expect(frames.every((f) => Buffer.from(f.data, "base64").length <= BYTES_FRAME_MAX)).toBe(true);
    links.credit({ type: "credit", id: ID, upTo: 2 * BYTES_WINDOW });
    await written;
    expect(sent()).toBe(data.length);
    expect(frames.map((f) => f.at)).toEqual(frames.map((_, i) => frames.slice(0, i).reduce((n, f) => n + Buffer.from(f.data, "base64").length, 0)));
    out.destroy();
    expect(links.open).toBe(0);
  });

  it("a receiver asks for a window first, takes bytes in order up to `end`, and refuses bytes past its limit", async () => {
    const credits: CreditFrame[] = [];
    const links = new ByteLinks((f) => (f.type === "credit" && credits.push(f), true));
    const whole = links.receiver(ID, 100);
    expect(credits).toEqual([{ type: "credit", id: ID, upTo: BYTES_WINDOW }]);
    links.bytes({ type: "bytes", id: ID, at: 0, data: b64("hello ") });
    links.bytes({ type: "bytes", id: ID, at: 6, data: b64("world"), end: true });
    expect(await text(whole)).toBe("hello world");

    const over = links.receiver(ID, 10);
    links.bytes({ type: "bytes", id: ID, at: 0, data: b64("0123456789A") });
    await expect(text(over)).rejects.toThrow("the upload passed the 10 bytes an import takes");

    const disordered = links.receiver(ID, 100);
    links.bytes({ type: "bytes", id: ID, at: 3, data: b64("late") });
    await expect(text(disordered)).rejects.toThrow(/out of order/);
    await new Promise((r) => setImmediate(r));
    expect(links.open).toBe(0);
  });

  it("a receiver whose edge goes quiet fails as stalled", async () => {
    const links = new ByteLinks(() => true, 50);
    const r = links.receiver(ID, 100);
    await expect(text(r)).rejects.toThrow("the upload stalled");
  });
});
