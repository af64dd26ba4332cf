// An app backend in Node.js using an orgkit API key with plain fetch: it creates a workspace
// and a group, puts a member in the group, grants the group the workspace and lists the
// members. Exits non-zero with a message on any failure.
//   ORGKIT_URL=http://127.0.0.1:8080 ORGKIT_API_KEY=ok_… ORGKIT_ORG_ID=org_… \
//   ORGKIT_MEMBER_ID=user_… node tests/api_keys/backend.mjs

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const base = env("ORGKIT_URL").replace(/\/$/, "");
const key = env("ORGKIT_API_KEY");
const org = env("ORGKIT_ORG_ID");
const member = env("ORGKIT_MEMBER_ID");

async function call(method, path, body, expected) {
  const response = await fetch(`${base}/v1/organizations/${org}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

try {
  const suffix = Date.now().toString(36);
  const workspace = await call("POST", "/workspaces", { name: `Backend ${suffix}` }, 201);
  console.log(`workspace ${workspace.id}`);
  const group = await call("POST", "/groups", { name: `Backend group ${suffix}` }, 201);
  console.log(`group ${group.id}`);
  const added = await call("PUT", `/groups/${group.id}/members/user/${member}`, { role: "member" }, 200);
  if (added.principal?.id !== member) {
    throw new Error(`the group member is not ${member}: ${JSON.stringify(added)}`);
  }
  const grant = await call("PUT", `/workspaces/${workspace.id}/principals/group/${group.id}`, { role: "ws:member" }, 200);
  if (grant.role !== "ws:member") {
    throw new Error(`the grant is not ws:member: ${JSON.stringify(grant)}`);
  }
  const members = await call("GET", "/memberships", undefined, 200);
  const ids = members.data.map((m) => m.userId ?? m.user?.id ?? m.publicUserData?.userId);
  if (!JSON.stringify(members.data).includes(member)) {
    throw new Error(`the member list lacks ${member}: ${JSON.stringify(ids)}`);
  }
  console.log(`${members.data.length} members`);
  console.log("backend done");
} catch (error) {
  console.error(`backend failed: ${error.message}`);
  process.exit(1);
}
