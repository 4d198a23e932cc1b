import { randomBytes } from "node:crypto";

/**
 * A self-signed certificate and its key (EC P-256, CN api.demo.dokku.me, SANs api.demo.dokku.me and
 * www.example.com, valid until 2126), made once with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 -subj /CN=api.demo.dokku.me -addext subjectAltName=DNS:api.demo.dokku.me,DNS:www.example.com`,
 * for the tests that install a certificate. The key is a test secret: a sweep looks for its lines.
 */
export const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBwDCCAWagAwIBAgIUOpWrtkczDjjr+v8U0LlM0mdkYCowCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRYXBpLmRlbW8uZG9ra3UubWUwIBcNMjYxMjA2MDYwODUyWhgP
MjEyNjExMTIwNjA4NTJaMBwxGjAYBgNVBAMMEWFwaS5kZW1vLmRva2t1Lm1lMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOL5aBVKTKPUX+YKuhX0QKvuZvE8F96ge
GT8iMPH89j6QUuKqhMmLGxE+AevA292opshhEASUAWqrtOYuBSrm9qOBgzCBgDAd
BgNVHQ4EFgQUoJGFJyDtRDKurh7C0YqwLDsWGtEwHwYDVR0jBBgwFoAUoJGFJyDt
RDKurh7C0YqwLDsWGtEwDwYDVR0TAQH/BAUwAwEB/zAtBgNVHREEJjAkghFhcGku
ZGVtby5kb2trdS5tZYIPd3d3LmV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUC
IQCMdKvgwDjRgopKK52qrv00rjWASzcUaK3EM2LuHGdDvgIga1Ce3XxEiCGfEXRc
vBpfjPO5soBgAWQRVFWyMp1kW74=
-----END CERTIFICATE-----\n`;

export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqYmKxEmM115mqlb3
/uTfowDetya2te3MVbgvTGZoTWqhRANCAAQ4vloFUpMo9Rf5gq6FfRAq+5m8TwX3
qB4ZPyIw8fz2PpBS4qqEyYsbET4B68Db3aimyGEQBJQBaqu05i4FKub2
-----END PRIVATE KEY-----\n`;

/** The key's body lines (between BEGIN and END): none may appear anywhere after the relay. */
export const keyLines = (key: string): string[] => key.split("\n").filter((l) => l && !l.startsWith("-----"));

/**
 * A PEM-shaped private key carrying a marker in its body, as a hostile or careless upload might:
 * certs:add would reject it on a real host, but no answer, log or history row may hold it either.
 */
export function markedKey(mark = randomBytes(6).toString("hex")): { key: string; mark: string } {
  const body = Buffer.from(`docklight-test-${mark}-`.repeat(4))
    .toString("base64")
    .match(/.{1,64}/g)!
    .join("\n");
  return { key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`, mark };
}
