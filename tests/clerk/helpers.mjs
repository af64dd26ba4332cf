// Shared by the Clerk conformance suite (conformance.mjs, memberships.mjs): the client made
// from the environment, the ids the steps pass on, and the assertion of Clerk's errors.
import assert from "node:assert/strict";

export const apiUrl = process.env.ORGKIT_CLERK_API_URL;
export const secretKey = process.env.ORGKIT_CLERK_SECRET_KEY;
export const packageName = process.env.ORGKIT_CLERK_PACKAGE ?? "@clerk/backend";
assert.ok(apiUrl && secretKey, "set ORGKIT_CLERK_API_URL and ORGKIT_CLERK_SECRET_KEY");

export const { createClerkClient } = await import(packageName);
export const version = (await import(`${packageName}/package.json`, { with: { type: "json" } })).default
  .version;
export const major = Number(version.split(".")[0]);
export const clerk = createClerkClient({ secretKey, apiUrl });
export const run = Math.random().toString(36).slice(2, 8);
export const email = (who) => `${who}.${run}@example.com`;

/** The class a parsed object was built by (the bundle names them `_Organization`, …). */
export const className = (value) => value?.constructor?.name?.replace(/^_/, "");

/** Runs `call`, which must fail with a ClerkAPIResponseError of `code` and `status`. */
export async function refused(call, code, status) {
  let error;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${code}, the call succeeded`);
  assert.equal(className(error), "ClerkAPIResponseError", String(error));
  assert.equal(error.errors[0].code, code, JSON.stringify(error.errors));
  assert.equal(error.status, status);
  assert.equal(typeof error.errors[0].message, "string");
  assert.equal(typeof error.errors[0].longMessage, "string");
  assert.ok(error.clerkTraceId, "clerk_trace_id");
  return error;
}

export const ids = {};
