// The app's screens: signed out, the accept-invitation banner, my organizations, the active one.
import { useState } from "react";
import type { FormEvent } from "react";
import { useOrganization, useOrganizationList, useUser } from "@orgkit/react";
import { kit } from "./sdk.ts";
import { useAction } from "./action.ts";
import { ActiveOrganization, roleLabel } from "./Organization.tsx";

export function App() {
  const state = useUser();
  if (!state.isLoaded) return <main><p data-testid="loading">Loading…</p></main>;
  if (!state.isSignedIn) return <main><AuthCard /></main>;
  return (
    <main>
      <header>
        <h1>orgkit React example</h1>
        <span data-testid="user-email">{state.user.emailAddress}</span>
        <SignOut />
      </header>
      <AcceptInvitation />
      <Organizations />
      <ActiveOrganization />
    </main>
  );
}

function SignOut() {
  const [run, busy] = useAction();
  return <button type="button" disabled={busy} onClick={() => void run(() => kit.signOut())}>Sign out</button>;
}

/** Sign in or sign up; the store notices and the app re-renders. */
function AuthCard() {
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [run, busy, error] = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => mode === "signup"
      ? kit.signUp({ name: name.trim(), emailAddress: email.trim(), password })
      : kit.signIn({ emailAddress: email.trim(), password }));
  };
  return (
    <section data-testid="auth-card">
      <div className="row">
        <button type="button" data-testid="tab-signin" disabled={mode === "signin"} onClick={() => setMode("signin")}>Sign in</button>
        <button type="button" data-testid="tab-signup" disabled={mode === "signup"} onClick={() => setMode("signup")}>Sign up</button>
      </div>
      <form onSubmit={submit}>
        {mode === "signup" && <label>Your name<input value={name} onChange={(e) => setName(e.target.value)} required /></label>}
        <label>Email address<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
        <label>Password<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        <button type="submit" data-testid="auth-submit" disabled={busy}>{mode === "signup" ? "Create account" : "Sign in"}</button>
      </form>
      {error !== null && <p className="error" role="alert" data-testid="error">{error}</p>}
    </section>
  );
}

/** With `?token=` (the link of an invitation email): accept it, and make that organization active. */
function AcceptInvitation() {
  const [token, setToken] = useState(() => new URLSearchParams(location.search).get("token"));
  const { setActive } = useOrganizationList();
  const [run, busy, error] = useAction();
  if (token === null || token === "") return null;
  const accept = () => void run(async () => {
    const membership = await kit.acceptInvitation(token);
    await setActive({ organization: membership.organization.id });
    const url = new URL(location.href);
    url.searchParams.delete("token");
    history.replaceState(null, "", url);
    setToken(null);
  });
  return (
    <section data-testid="accept-card">
      <h2>You have an invitation</h2>
      <button type="button" data-testid="accept" disabled={busy} onClick={accept}>Accept invitation</button>
      {error !== null && <p className="error" role="alert" data-testid="error">{error}</p>}
    </section>
  );
}

/** My organizations (switch with setActive) and a form to create one. */
function Organizations() {
  const { userMemberships, createOrganization, setActive } = useOrganizationList({ userMemberships: true });
  const { organization } = useOrganization();
  const [name, setName] = useState("");
  const [run, busy, error] = useAction();
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const organization = await createOrganization({ name: name.trim() });
      await setActive({ organization });
      setName("");
    });
  };
  return (
    <section data-testid="organizations">
      <h2>My organizations</h2>
      {userMemberships === undefined || userMemberships.isLoading
        ? <p className="muted">Loading…</p>
        : userMemberships.data.length === 0
          ? <p className="muted" data-testid="no-organizations">None yet.</p>
          : <ul>{userMemberships.data.map((m) => {
              const active = m.organization.id === organization?.id;
              return (
                <li key={m.id} data-testid="org-item" data-name={m.organization.name} data-active={active}>
                  <span className={active ? "active" : ""}>{m.organization.name}</span> <span className="muted">({roleLabel(m.role)})</span>{" "}
                  {active
                    ? <span className="muted">active</span>
                    : <button type="button" disabled={busy} aria-label={`Open ${m.organization.name}`}
                        onClick={() => void run(() => setActive({ organization: m.organization }))}>Open</button>}
                </li>);
            })}
            </ul>}
      <form className="row" onSubmit={create}>
        <label>Organization name<input value={name} onChange={(e) => setName(e.target.value)} required /></label>
        <button type="submit" data-testid="create-org" disabled={busy}>Create organization</button>
      </form>
      {error !== null && <p className="error" role="alert" data-testid="error">{error}</p>}
    </section>
  );
}
