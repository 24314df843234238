// A real OpenID Connect provider for the test suite (panva/oidc-provider, OpenID Certified),
// listening on 127.0.0.1. Accounts come from a JSON file read at every request, so a test can
// change someone's groups or disable them between sign-ins:
//   {"<sub>": {"username": "...", "password": "...", "email": "...", "given_name": "...",
//              "family_name": "...", "groups": ["..."], "disabled": false}}
// Environment: PORT, ACCOUNTS_FILE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated),
// POST_LOGOUT_REDIRECT_URIS (comma-separated).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { interactionPolicy } from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const list = (name) => (process.env[name] || '').split(',').filter(Boolean);

function accounts() {
  return JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, 'utf8'));
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

function loginForm(res, uid, error = '') {
  page(res, error ? 401 : 200, 'Test identity provider: sign in', `
${error ? `<p role="alert" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <p><label for="username">Account name</label> <input id="username" name="username" autocomplete="username"></p>
  <p><label for="password">Account password</label> <input id="password" name="password" type="password"></p>
  <p><button type="submit">Continue</button></p>
</form>`);
}

async function formBody(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return Object.fromEntries(new URLSearchParams(data));
}

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

// Someone disabled while signed in at the provider is asked to sign in again (and refused).
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'account_disabled', 'the account is disabled', (ctx) => {
    const id = ctx.oidc.session.accountId;
    return id && accounts()[id]?.disabled
      ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  },
));

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: list('REDIRECT_URIS'),
    post_logout_redirect_uris: list('POST_LOGOUT_REDIRECT_URIS'),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['kccperf-test-provider-only'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
  },
  // Put the scopes' claims in the ID token, as Entra ID does with its groups claim.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: {
    enabled: true,
    // Sign out without the confirmation page: the form is sent at once, answering "yes".
    logoutSource(ctx, form) {
      ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Signing out</title></head><body>${form}
<script>const f = document.forms[0]; const yes = document.createElement('input');
yes.type = 'hidden'; yes.name = 'logout'; yes.value = 'yes'; f.appendChild(yes); f.submit();</script>
</body></html>`;
    },
  } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    // A disabled account gets no tokens. Its existing session is still loaded (the provider
    // fails on a session without its account), and the policy above then asks for a login.
    if (account.disabled && ctx?.oidc?.route !== 'authorization' && ctx?.oidc?.route !== 'resume') {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email,
          email_verified: true,
          name: `${account.given_name} ${account.family_name}`,
          given_name: account.given_name,
          family_name: account.family_name,
          preferred_username: account.username,
          groups: account.groups || [],
        };
      },
    };
  },
});

async function finish(req, res, accountId, params, extra = {}) {
  const grant = new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { ...extra, consent: { grantId } },
    { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  const match = new URL(req.url, issuer).pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      if (details.prompt.name === 'consent') {
        return await finish(req, res, details.session.accountId, details.params);
      }
      return loginForm(res, details.uid);
    }
    const { username, password } = await formBody(req);
    const entry = Object.entries(accounts()).find(([, a]) => a.username === username);
    if (!entry || entry[1].password !== password) {
      return loginForm(res, details.uid, 'Wrong account name or password.');
    }
    if (entry[1].disabled) {
      return loginForm(res, details.uid, 'This account has been disabled.');
    }
    return await finish(req, res, entry[0], details.params, { login: { accountId: entry[0] } });
  } catch (error) {
    page(res, 400, 'Test identity provider: error', `<p>${escape(error.message)}</p>`);
  }
}).listen(port, '127.0.0.1', () => {
  console.log(`listening on ${issuer}`);
});
