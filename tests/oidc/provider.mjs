// A real OpenID Connect provider (the npm package oidc-provider) for orgkit's tests.
//
//   node tests/oidc/provider.mjs [--port N] [--client-id ID] [--client-secret S]
//                                [--redirect-prefix URL]...
//
// Listens on 127.0.0.1 (port 0 by default) and prints its issuer URL, one line, on stdout;
// nothing else is printed unless it fails. Environment variables OIDC_PORT, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET and OIDC_REDIRECT_PREFIX are read when the flags are absent.
//
// - One confidential client (client_secret_basic); PKCE allowed, not required. A redirect URI is
//   accepted when it starts with one of the redirect prefixes (the test server's callback path,
//   whose last segment — the connection id — is not known when the provider starts).
// - No UI: the interaction logs in the user named by `login_hint` and grants every scope. The hint
//   is an email address, or a query string with the claims:
//     email=ann@acme.test&name=Ann&email_verified=false&sub=fixed-subject&sign=evil
//   The subject defaults to a digest of the email, so the same email is the same subject.
//   `sign=evil` makes the token endpoint answer an ID token signed by a second key ("evil") that
//   the provider does not publish, under the published key's id: a tampered token.
//   `sign=rotated` rotates the keys: from then on the provider publishes a second key
//   ("rotated-key") beside the first, and signs that account's ID tokens with it.
// - Signing keys are generated at start.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as jose from 'jose';

// oidc-provider warns on Node 20 ("Unsupported runtime") and about its in-memory store, and
// prints notices on stdout, where only the issuer belongs: keep the test output quiet.
const quiet = (write) => (...args) => {
  if (/^oidc-provider (WARNING|NOTICE)|Unsupported runtime/.test(String(args[0] ?? ''))) return;
  write(...args);
};
console.warn = quiet(console.warn);
console.info = quiet(console.info);
const { default: Provider } = await import('oidc-provider');

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-prefix': { type: 'string', multiple: true },
  },
});
const env = process.env;
const port = Number(flags.port ?? env.OIDC_PORT ?? 0);
const clientId = flags['client-id'] ?? env.OIDC_CLIENT_ID ?? 'orgkit-test';
const clientSecret = flags['client-secret'] ?? env.OIDC_CLIENT_SECRET ?? 'orgkit-test-secret';
const redirectPrefixes = flags['redirect-prefix']
  ?? (env.OIDC_REDIRECT_PREFIX ? [env.OIDC_REDIRECT_PREFIX] : ['http://127.0.0.1:']);

/** The claims a login hint names. */
function accountFromHint(hint) {
  const fields = hint.includes('=') ? Object.fromEntries(new URLSearchParams(hint)) : { email: hint };
  const email = fields.email ?? '';
  const sub = fields.sub ?? `sub-${createHash('sha256').update(email).digest('hex').slice(0, 24)}`;
  return {
    sub,
    email,
    name: fields.name ?? email.split('@')[0],
    email_verified: fields.email_verified !== 'false',
    evil: fields.sign === 'evil',
    rotated: fields.sign === 'rotated',
  };
}

const accounts = new Map();

async function generateKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: 'signing-key', alg: 'RS256', use: 'sig' };
}
const signingKey = await generateKey();
const evilKey = await jose.importJWK(await generateKey(), 'RS256');
const rotatedJwk = { ...(await generateKey()), kid: 'rotated-key' };
const rotatedKey = await jose.importJWK(rotatedJwk, 'RS256');
const { d, p, q, dp, dq, qi, ...rotatedPublic } = rotatedJwk;
let rotated = false;

const listener = await new Promise((resolve) => {
  // Bind first: the issuer holds the port.
  import('node:http').then(({ createServer }) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
});
const issuer = `http://127.0.0.1:${listener.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectPrefixes.map((p) => `${p}placeholder`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['orgkit-test-provider-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the requested claims into the ID token itself (the relying party reads them there).
  conformIdTokenClaims: false,
  pkce: { required: () => false },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: account.email, name: account.name, email_verified: account.email_verified };
      },
    };
  },
  // Every client is granted what it asks: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});
provider.proxy = false;
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
  return typeof uri === 'string' && redirectPrefixes.some((p) => uri.startsWith(p));
};
// Quiet: errors go to the client, not to stderr.
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${err.stack}\n`));

// The scripted interaction, and the evil signature on the token endpoint.
provider.use(async (ctx, next) => {
  // Log in afresh on every authorization request, forgetting an earlier session: the hint
  // decides who signs in.
  if (/^\/auth(\/|$)/.test(ctx.path) && ctx.method === 'GET') {
    const cookies = (ctx.headers.cookie ?? '').split(/;\s*/).filter((c) => c && !c.startsWith('_session'));
    ctx.headers.cookie = cookies.join('; ');
    if (ctx.path === '/auth' && !ctx.query.prompt) ctx.query = { ...ctx.query, prompt: 'login' };
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (match && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const hint = details.params.login_hint;
    if (!hint) {
      const result = { error: 'login_required', error_description: 'the test provider needs a login_hint' };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    const account = accountFromHint(String(hint));
    accounts.set(account.sub, account);
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } });
    ctx.respond = false;
    return;
  }
  await next();
  if (ctx.path === '/jwks' && ctx.status === 200 && rotated) {
    ctx.body = { keys: [...ctx.body.keys, rotatedPublic] };
  }
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    const claims = jose.decodeJwt(ctx.body.id_token);
    if (accounts.get(claims.sub)?.rotated) {
      rotated = true;
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: rotatedJwk.kid })
          .sign(rotatedKey),
      };
    }
    if (accounts.get(claims.sub)?.evil) {
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
          .sign(evilKey),
      };
    }
  }
});

listener.on('request', provider.callback());
process.stdout.write(`${issuer}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
// Exit with the parent: the harness holds our stdin open.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
