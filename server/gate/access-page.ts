/**
 * The page a browser without the local access token gets (401): where the link is printed and how
 * to print it again. A page of its own, not the app shell: nothing of the dashboard, no script,
 * and never the token.
 */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function localAccessPage(origin: string, linkRefused: boolean): string {
  const base = escapeHtml(origin);
  const refused = linkRefused
    ? `<p class="warn">The token in this link is not this server's. Links from another ProcLens, or from
      before its data directory was replaced, do not open this one.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ProcLens: open the access link</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  code, pre { font: 14px ui-monospace, monospace; background: #f3f4f6; border-radius: 4px; }
  code { padding: 0 .25rem; }
  pre { padding: .5rem .75rem; overflow-x: auto; }
  .warn { color: #9a3412; }
</style>
</head>
<body>
<main>
  <h1>Open ProcLens with its access link</h1>
  ${refused}
  <p>This ProcLens server answers only to whoever holds its access token, so that other accounts on this
    machine cannot read your runs or change your settings.</p>
  <p>The link is printed where the server was started (<code>npm start</code>):</p>
  <pre>ProcLens dashboard: ${base}/?token=…</pre>
  <p>To print it again, run <code>npx proclens url</code> in the ProcLens folder, as the user that runs the
    server. Opening the link once sets a cookie in this browser; after that the plain address works.</p>
  <p>Scripts send the token as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
</main>
</body>
</html>
`;
}
