// Verifies orgkit session tokens as an app's Node.js backend would: with the npm `jose`
// package, through the live server's JWKS URL (createRemoteJWKSet + jwtVerify). Run by the
// server's API test (crates/orgkit-server/tests/api/session_tokens_node.rs) with a capture:
//   node tests/tokens/verify.mjs CAPTURE.json
// CAPTURE: {jwksUrl, issuer, fresh, expired, organizationId}. A fresh token must verify and
// carry the organization; a tampered, an expired and a wrong-key token must be refused.
// Exits non-zero, loudly, on any failure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createRemoteJWKSet, jwtVerify, decodeProtectedHeader, generateKeyPair, SignJWT, errors } =
  require("jose");

const capture = JSON.parse(readFileSync(process.argv[2], "utf8"));
const jwks = createRemoteJWKSet(new URL(capture.jwksUrl));
const options = { issuer: capture.issuer, algorithms: ["ES256"] };
let failures = 0;
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  failures += 1;
};

// A fresh token verifies and says who and for which organization.
try {
  const { payload, protectedHeader } = await jwtVerify(capture.fresh, jwks, options);
  if (protectedHeader.alg !== "ES256") fail(`alg ${protectedHeader.alg}`);
  if (payload.v !== 2 || typeof payload.sub !== "string" || typeof payload.sid !== "string") {
    fail(`claims: ${JSON.stringify(payload)}`);
  }
  if (payload.o?.id !== capture.organizationId || typeof payload.o?.ver !== "number") {
    fail(`organization claims: ${JSON.stringify(payload.o)}`);
  }
  if (payload.exp - payload.iat !== 60) fail(`lifetime ${payload.exp - payload.iat}`);
} catch (e) {
  fail(`the fresh token does not verify: ${e}`);
}

const refused = async (name, jwt, expected, checks = options) => {
  try {
    await jwtVerify(jwt, jwks, checks);
    fail(`the ${name} token verified`);
  } catch (e) {
    if (!(e instanceof expected)) fail(`the ${name} token: ${e.code ?? e} instead of ${expected.name}`);
  }
};

// Tampered: the payload claims another organization; the signature no longer matches.
const [header, body, signature] = capture.fresh.split(".");
const claims = JSON.parse(Buffer.from(body, "base64url").toString());
claims.o.id = "org_tampered";
claims.o.rol = "admin";
const tampered = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
await refused("tampered", tampered, errors.JWSSignatureVerificationFailed);

// Expired: issued by an instance whose clock ran two minutes back, with the real key. (That
// test instance listens on another port, so its issuer differs: only the algorithm is checked
// here, so that expiry alone refuses it.)
await refused("expired", capture.expired, errors.JWTExpired, { algorithms: ["ES256"] });
try {
  const then = new Date(Date.now() - 120_000);
  await jwtVerify(capture.expired, jwks, { algorithms: ["ES256"], currentDate: then });
} catch (e) {
  fail(`the expired token does not verify at its own time, so expiry was not the reason: ${e}`);
}

// Wrong key: the same claims and kid, signed with a key orgkit never published.
const { kid } = decodeProtectedHeader(capture.fresh);
const { privateKey } = await generateKeyPair("ES256");
const forged = await new SignJWT(JSON.parse(Buffer.from(body, "base64url").toString()))
  .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
  .sign(privateKey);
await refused("wrong-key", forged, errors.JWSSignatureVerificationFailed);

// An unknown kid: refused as well (no key in the set matches).
const stranger = await new SignJWT(JSON.parse(Buffer.from(body, "base64url").toString()))
  .setProtectedHeader({ alg: "ES256", kid: "key_unknown", typ: "JWT" })
  .sign(privateKey);
await refused("unknown-kid", stranger, errors.JWKSNoMatchingKey);

if (failures > 0) process.exit(1);
console.log("jose: fresh token verified; tampered, expired, wrong-key and unknown-kid tokens refused");
