import { isoCBOR } from "@simplewebauthn/server/helpers";
import { base64url } from "jose";

/**
 * A WebAuthn authenticator in software, for tests: a P-256 key made in the test, a discoverable
 * credential, and the exact bytes a real authenticator signs (WebAuthn §6.1 authenticator data,
 * §6.5 attestation object with the "none" format, §6.3.3 assertion signature over authenticator
 * data ‖ SHA-256(clientDataJSON), DER-encoded as COSE ES256 requires). Each knob a test turns
 * (origin, counter, flags) is one a misbehaving or hostile client could turn.
 */

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array) => base64url.encode(bytes);

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** One DER INTEGER from an unsigned big-endian value. */
function derInt(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.slice(i);
  const body = v[0]! & 0x80 ? concat(new Uint8Array([0]), v) : v;
  return concat(new Uint8Array([0x02, body.length]), body);
}

/** WebCrypto's raw r ‖ s ECDSA signature as DER (SEQUENCE of two INTEGERs). */
function derSignature(raw: Uint8Array): Uint8Array {
  const seq = concat(derInt(raw.slice(0, 32)), derInt(raw.slice(32)));
  return concat(new Uint8Array([0x30, seq.length]), seq);
}

/** What a ceremony is answered for: the options' challenge, the page's origin, the rpID. */
export interface Ceremony {
  challenge: string;
  origin: string;
  rpId: string;
}

/** Knobs a test turns on one answer. */
export interface AnswerOptions {
  /** The counter the authenticator reports (default: one more than its last). */
  counter?: number;
  /** Whether it says the user was verified (default true). */
  userVerified?: boolean;
  /** The clientDataJSON's origin (default the ceremony's). */
  origin?: string;
}

export class SoftAuthenticator {
  private counter = 0;

  private constructor(
    private readonly keys: CryptoKeyPair,
    /** The credential id. */
    readonly id: Uint8Array,
    /** The user handle the credential was made for (base64url), once registered. */
    public userHandle: string | null = null,
  ) {}

  /** A new authenticator holding one fresh P-256 key. */
  static async make(): Promise<SoftAuthenticator> {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    return new SoftAuthenticator(keys, crypto.getRandomValues(new Uint8Array(16)));
  }

  /** The credential id, base64url. */
  get credentialId(): string {
    return b64(this.id);
  }

  private async coseKey(): Promise<Uint8Array> {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    // COSE_Key (RFC 9053): kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, base64url.decode(jwk.x!)],
        [-3, base64url.decode(jwk.y!)],
      ]),
    );
  }

  private clientData(type: "webauthn.create" | "webauthn.get", c: Ceremony, o: AnswerOptions): Uint8Array {
    return enc.encode(JSON.stringify({ type, challenge: c.challenge, origin: o.origin ?? c.origin, crossOrigin: false }));
  }

  private flags(o: AnswerOptions, extra = 0): number {
    return FLAG_UP | (o.userVerified === false ? 0 : FLAG_UV) | extra;
  }

  /** The answer of `navigator.credentials.create` (as @simplewebauthn/browser sends it) for user handle `userHandle`. */
  async register(c: Ceremony, userHandle: string, o: AnswerOptions = {}) {
    this.userHandle = userHandle;
    const authData = concat(
      await sha256(enc.encode(c.rpId)),
      new Uint8Array([this.flags(o, FLAG_AT)]),
      u32(o.counter ?? this.counter),
      new Uint8Array(16), // AAGUID: none
      new Uint8Array([this.id.length >> 8, this.id.length & 0xff]),
      this.id,
      await this.coseKey(),
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", authData],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: { clientDataJSON: b64(this.clientData("webauthn.create", c, o)), attestationObject: b64(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
    };
  }

  /** The answer of `navigator.credentials.get` (discoverable: it carries the user handle). */
  async signIn(c: Ceremony, o: AnswerOptions = {}) {
    const counter = o.counter ?? this.counter + 1;
    this.counter = Math.max(this.counter, counter);
    const authData = concat(await sha256(enc.encode(c.rpId)), new Uint8Array([this.flags(o)]), u32(counter));
    const clientDataJSON = this.clientData("webauthn.get", c, o);
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, concat(authData, await sha256(clientDataJSON)) as BufferSource),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(derSignature(raw)),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }
}
