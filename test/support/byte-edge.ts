import { BYTES_FRAME_MAX, BYTES_WINDOW, type BytesFrame, type CreditFrame } from "../../protocol/byte-frames.js";
import { ByteLinks } from "../../relay/ops/byte-links.js";

/**
 * The edge's side of the relay's byte streams, in memory, for catalog tests: it takes an export's
 * bytes and credits each at once (or never, `stall`), and answers an import's credit with `upload`'s
 * bytes up to it, ending with the last. `frames` keeps every frame the relay sent.
 */
export interface ByteEdge {
  links: ByteLinks;
  /** The bytes the relay sent, in order. */
  received(): Buffer;
  frames: Array<BytesFrame | CreditFrame>;
  /** The dump an import takes next (`cut`: stop sending after this many bytes, as a browser that left). */
  upload(data: Buffer, cut?: number): void;
}

export function byteEdge(opts: { stall?: boolean; stallMs?: number } = {}): ByteEdge {
  const got: Buffer[] = [];
  const frames: Array<BytesFrame | CreditFrame> = [];
  let upload: { data: Buffer; cut: number; sent: number } | null = null;
  const links: ByteLinks = new ByteLinks((frame) => {
    frames.push(frame);
    if (frame.type === "bytes") {
      const data = Buffer.from(frame.data, "base64");
      got.push(data);
      if (!opts.stall) setImmediate(() => links.credit({ type: "credit", id: frame.id, upTo: frame.at + data.length + BYTES_WINDOW }));
    } else if (upload) {
      const u = upload;
      setImmediate(() => {
        while (u.sent < Math.min(frame.upTo, u.cut)) {
          const n = Math.min(BYTES_FRAME_MAX, frame.upTo - u.sent, u.cut - u.sent);
          const end = u.sent + n === u.data.length;
          links.bytes({ type: "bytes", id: frame.id, at: u.sent, data: u.data.subarray(u.sent, u.sent + n).toString("base64"), ...(end ? { end } : {}) });
          u.sent += n;
        }
        if (u.data.length === 0 && u.sent === 0 && u.cut > 0) {
          u.cut = 0;
          links.bytes({ type: "bytes", id: frame.id, at: 0, data: "", end: true });
        }
      });
    }
    return true;
  }, opts.stallMs);
  return {
    links,
    received: () => Buffer.concat(got),
    frames,
    upload: (data, cut = data.length) => void (upload = { data, cut, sent: 0 }),
  };
}
