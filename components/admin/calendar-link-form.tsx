"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { callAdminApi, type ApiError } from "./api";
import { FieldError } from "./field-errors";

type FoundCalendar = { url: string; displayName: string | null; supportsSync: boolean };
type TestResult = { ok: true; calendars: FoundCalendar[] } | { ok: false; error: { code: string; message: string } };

/** A headline per failure code of POST /api/admin/calendars/test; the server's message says what to do. */
export const CONNECTION_ERROR_TITLES: Record<string, string> = {
  bad_credentials: "Wrong username or app password",
  rate_limited: "The server is refusing logins for now (HTTP 429)",
  not_caldav: "This is not a CalDAV server",
  timeout: "The server stopped answering",
  unreachable: "The server cannot be reached",
  host_not_allowed: "Holdfast may not connect to this server",
  cross_origin_discovery: "The server sent Holdfast to another address",
  server_error: "The server answered with an error",
  no_calendars: "No calendars on this account",
  no_sync_support: "Calendar sync (sync-collection) is not supported",
};

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

function calendarName(c: FoundCalendar) {
  if (c.displayName) return c.displayName;
  const parts = c.url.replace(/\/+$/, "").split("/");
  return decodeURIComponent(parts[parts.length - 1] ?? c.url);
}

/**
 * "Link a calendar" for one artist: server, username and app password → "Test connection" lists
 * the account's calendars → one calendar receives the bookings (radio), any others only block time
 * (checkboxes) → "Link". The password lives in this form only until it is sent; it is never shown again.
 */
export function LinkCalendarForm({
  artistId,
  artistName,
  writeCalendarUrl,
  linkedUrls,
}: {
  artistId: string;
  artistName: string;
  writeCalendarUrl: string | null;
  linkedUrls: string[];
}) {
  const router = useRouter();
  const id = useId();
  const [serverUrl, setServerUrl] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [testing, setTesting] = useState(false);
  const [linking, setLinking] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [write, setWrite] = useState<string>("");
  const [busy, setBusy] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [linkErrors, setLinkErrors] = useState<{ url: string; message: string }[]>([]);

  /** Any change to the account makes the last test meaningless. */
  function edited(set: (v: string) => void) {
    return (e: React.ChangeEvent<HTMLInputElement>) => {
      set(e.target.value);
      setResult(null);
      setDone(null);
      setLinkErrors([]);
    };
  }

  async function test(e: React.FormEvent) {
    e.preventDefault();
    setTesting(true);
    setError(null);
    setResult(null);
    setDone(null);
    setLinkErrors([]);
    setWrite("");
    setBusy([]);
    const res = await callAdminApi<TestResult>("/api/admin/calendars/test", { body: { serverUrl, username, password } });
    setTesting(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setResult(res.data);
  }

  async function link() {
    if (!result?.ok) return;
    const choices = [
      ...(write ? [{ url: write, role: "write" as const }] : []),
      ...busy.filter((u) => u !== write).map((url) => ({ url, role: "busy" as const })),
    ];
    if (choices.length === 0) return;
    setLinking(true);
    setError(null);
    setLinkErrors([]);
    const failed: { url: string; message: string }[] = [];
    let linked = 0;
    for (const choice of choices) {
      const res = await callAdminApi<{ id: string }>(`/api/admin/artists/${artistId}/calendars`, {
        body: { serverUrl, username, password, calendarUrl: choice.url, role: choice.role },
      });
      if (res.ok) linked += 1;
      else failed.push({ url: choice.url, message: Object.values(res.error.fields ?? {}).flat()[0] ?? res.error.message });
    }
    setLinking(false);
    setLinkErrors(failed);
    if (linked > 0) {
      setDone(`Linked ${linked} ${linked === 1 ? "calendar" : "calendars"} for ${artistName}. Holdfast is pulling ${linked === 1 ? "it" : "them"} now.`);
      if (failed.length === 0) {
        // The app password is stored (encrypted) now; it leaves this page for good.
        setPassword("");
        setResult(null);
        setWrite("");
        setBusy([]);
      }
      router.refresh();
    }
  }

  const fieldProps = (name: string) => ({
    "aria-invalid": Boolean(error?.fields?.[name]),
    "aria-describedby": error?.fields?.[name] ? `${id}-${name}-error` : undefined,
  });
  const choiceCount = (write ? 1 : 0) + busy.filter((u) => u !== write).length;

  return (
    <div className="link-calendar" data-testid={`link-calendar-${artistId}`}>
      <form onSubmit={test} aria-label={`Link a calendar for ${artistName}`} autoComplete="off">
        {error && !error.fields && (
          <p className="notice error" role="alert">
            {error.message}
          </p>
        )}
        <div className="form-grid">
          <div className="a-field wide">
            <label htmlFor={`${id}-server`}>Server URL</label>
            <input
              id={`${id}-server`}
              name="serverUrl"
              type="text"
              inputMode="url"
              placeholder="https://cloud.example.com"
              value={serverUrl}
              onChange={edited(setServerUrl)}
              required
              {...fieldProps("serverUrl")}
            />
            <FieldError id={`${id}-serverUrl-error`} errors={error?.fields} name="serverUrl" />
          </div>
          <div className="a-field">
            <label htmlFor={`${id}-username`}>Username</label>
            <input
              id={`${id}-username`}
              name="username"
              type="text"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={edited(setUsername)}
              required
              {...fieldProps("username")}
            />
            <FieldError id={`${id}-username-error`} errors={error?.fields} name="username" />
          </div>
          <div className="a-field">
            <label htmlFor={`${id}-password`}>App password</label>
            <input
              id={`${id}-password`}
              name="caldav-app-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={edited(setPassword)}
              required
              {...fieldProps("password")}
            />
            <FieldError id={`${id}-password-error`} errors={error?.fields} name="password" />
          </div>
        </div>
        <p className="small muted">
          Nextcloud: the address you open in the browser (Holdfast finds the calendars under <span className="mono">/remote.php/dav/</span>) and an app password
          from Settings → Security → Devices &amp; sessions. The password is stored encrypted and never shown again.
        </p>
        <div className="btn-row">
          <button type="submit" className="btn" disabled={testing || linking}>
            {testing ? "Testing…" : "Test connection"}
          </button>
        </div>
      </form>

      <div aria-live="polite">
        {result && !result.ok && (
          <div className="notice error" role="alert" data-error-code={result.error.code}>
            <p>
              <strong>{CONNECTION_ERROR_TITLES[result.error.code] ?? "The connection failed"}</strong>
            </p>
            <p>{result.error.message}</p>
          </div>
        )}
        {done && (
          <p className="notice ok" role="status">
            {done}
          </p>
        )}
        {linkErrors.length > 0 && (
          <div className="notice error" role="alert">
            <p>
              <strong>Not linked:</strong>
            </p>
            <ul>
              {linkErrors.map((f) => (
                <li key={f.url}>
                  <span className="mono">{f.url}</span>: {f.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      {result?.ok && (
        <fieldset className="cal-choices">
          <legend>
            Connected. Choose what {artistName}&apos;s calendars do ({result.calendars.length} found)
          </legend>
          {writeCalendarUrl && <p className="small muted">Bookings already go to {writeCalendarUrl}; unlink it first to send them elsewhere.</p>}
          <ul>
            <li className="cal-choice">
              <label className="a-field check">
                <input type="radio" name={`${id}-write`} value="" checked={write === ""} onChange={() => setWrite("")} />
                <span>No calendar of this account receives bookings</span>
              </label>
            </li>
            {result.calendars.map((c) => {
              const name = calendarName(c);
              const linked = linkedUrls.some((u) => sameUrl(u, c.url));
              const usable = c.supportsSync && !linked;
              return (
                <li key={c.url} className="cal-choice" data-calendar-url={c.url}>
                  <div className="cal-choice-name">
                    <strong>{name}</strong>
                    <div className="small muted mono">{c.url}</div>
                    {linked && <div className="small">Already linked.</div>}
                    {!c.supportsSync && <div className="small">Cannot be linked: no sync-collection support.</div>}
                  </div>
                  <div className="cal-choice-controls">
                    <label className="a-field check">
                      <input
                        type="radio"
                        name={`${id}-write`}
                        value={c.url}
                        checked={write === c.url}
                        disabled={!usable || Boolean(writeCalendarUrl)}
                        onChange={() => {
                          setWrite(c.url);
                          setBusy((b) => b.filter((u) => u !== c.url));
                        }}
                        aria-label={`Write bookings to ${name}`}
                      />
                      <span aria-hidden="true">Bookings go here</span>
                    </label>
                    <label className="a-field check">
                      <input
                        type="checkbox"
                        checked={busy.includes(c.url) && write !== c.url}
                        disabled={!usable || write === c.url}
                        onChange={(e) => setBusy((b) => (e.target.checked ? [...b, c.url] : b.filter((u) => u !== c.url)))}
                        aria-label={`Only block time from ${name}`}
                      />
                      <span aria-hidden="true">Only blocks time</span>
                    </label>
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="btn-row">
            <button type="button" className="btn primary" disabled={linking || choiceCount === 0} onClick={() => void link()}>
              {linking ? "Linking…" : choiceCount > 1 ? `Link ${choiceCount} calendars` : "Link calendar"}
            </button>
            {choiceCount === 0 && <span className="small muted">Pick a calendar for bookings or one that blocks time.</span>}
          </div>
        </fieldset>
      )}
    </div>
  );
}
