import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundaryOf, MultipartReader } from "../../../../worker/routes/multipart.js";

const B = "----formdata-7b3c9e1f";

/** A form body as a browser sends it: `confirm`, then the file. */
function form(confirm: string, file: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="confirm"\r\n\r\n${confirm}\r\n`),
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="dump"; filename="db.dump"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${B}--\r\n`),
  ]);
}

/** `body` as a stream of reads cut at `cuts`. */
function streamOf(body: Buffer, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, body.length]) {
    if (p > from) pieces.push(new Uint8Array(body.subarray(from, p)));
    from = Math.max(from, p);
  }
  return new ReadableStream({
    pull(c) {
      const next = pieces.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
  });
}

async function readForm(stream: ReadableStream<Uint8Array>) {
  const r = new MultipartReader(stream, B);
  const first = await r.next();
  const confirm = await r.text(100);
  const second = await r.next();
  const chunks: Uint8Array[] = [];
  const reader = r.body().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return { first, confirm, second, file: Buffer.concat(chunks), after: await r.next() };
}

describe("a multipart form read as it arrives", () => {
  it("reads the boundary from the Content-Type, quoted or not", () => {
    expect(boundaryOf(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(boundaryOf(`multipart/form-data; boundary="${B}"`)).toBe(B);
    expect(boundaryOf("application/x-www-form-urlencoded")).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });

  it("gives each field and the file whole, however the reads are cut, even when the file holds look-alikes of the delimiter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom("", "\r\n", `\r\n--${B.slice(0, 10)}`, `--${B}`),
        async (bytes, cuts, trap) => {
          const file = Buffer.concat([Buffer.from(trap), Buffer.from(bytes), Buffer.from(trap)]);
          const got = await readForm(streamOf(form("main-db", file), cuts));
          expect(got.first).toEqual({ name: "confirm", filename: null });
          expect(got.confirm).toBe("main-db");
          expect(got.second).toEqual({ name: "dump", filename: "db.dump" });
          expect(got.file.equals(file)).toBe(true);
          expect(got.after).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a field past its limit and a body cut inside a part", async () => {
    const long = new MultipartReader(streamOf(form("x".repeat(200), Buffer.from("d")), []), B);
    await long.next();
    await expect(long.text(100)).rejects.toThrow("a field is longer than 100 bytes");
    const body = form("main-db", Buffer.alloc(1000, 7));
    const cut = await readForm(streamOf(body.subarray(0, body.length - 50), [])).catch((e: Error) => e);
    expect(cut).toBeInstanceOf(Error);
    expect((cut as Error).message).toBe("the body ended inside a part");
  });
});
