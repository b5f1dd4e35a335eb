import { html, type SafeHtml } from '#lib/html.ts';
import type { StaffSession } from '#accounts';
import { can } from '#accounts';

/** Scripts a page may load, each served from /newsroom/assets/; pages work without them. */
export type NewsroomScript = 'newsroom-editor.js';

export interface NewsroomPage {
  title: string;
  main: SafeHtml;
  session?: StaffSession | null;
  csrf?: string;
  publication: string;
  flash?: string | null;
  /** This request's CSP nonce; every <script> carries it. */
  nonce?: string;
  scripts?: readonly NewsroomScript[];
}

/** The staff pages' shell. No third-party anything; scripts only with the request's nonce. */
export function newsroomLayout(p: NewsroomPage): string {
  const s = p.session;
  const nav = s?.secondFactorDone
    ? html`<nav class="nr-nav" aria-label="Newsroom">
    <ul>
      <li><a href="/newsroom">Dashboard</a></li>
      <li><a href="/newsroom/articles">Articles</a></li>
      ${can(s.staff.role, 'newsletter.compose') ? html`<li><a href="/newsroom/newsletter">Newsletter</a></li>` : ''}
      ${can(s.staff.role, 'audience.view') ? html`<li><a href="/newsroom/audience">Audience</a></li>` : ''}
      ${can(s.staff.role, 'revenue.view') ? html`<li><a href="/newsroom/revenue">Revenue</a></li>` : ''}
      ${can(s.staff.role, 'staff.manage') ? html`<li><a href="/newsroom/staff">Staff</a></li>` : ''}
      ${can(s.staff.role, 'settings.manage') ? html`<li><a href="/newsroom/settings">Settings</a></li>` : ''}
      ${can(s.staff.role, 'settings.manage') ? html`<li><a href="/newsroom/support/settings">Reader support</a></li>` : ''}
      ${can(s.staff.role, 'audit.view') ? html`<li><a href="/newsroom/audit">Audit log</a></li>` : ''}
      ${can(s.staff.role, 'supporters.view') ? html`<li><a href="/newsroom/outbox">Mail outbox</a></li>` : ''}
      <li><a href="/newsroom/account">Account</a></li>
    </ul>
    <form method="post" action="/newsroom/sign-out" class="nr-signout">
      <input type="hidden" name="_csrf" value="${p.csrf ?? ''}">
      <button type="submit">Sign out</button>
    </form>
  </nav>`
    : '';
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${p.title} – ${p.publication} newsroom</title>
<link rel="stylesheet" href="/newsroom/assets/newsroom.css">
${
  p.nonce
    ? (p.scripts ?? []).map(
        (name) => html`<script src="/newsroom/assets/${name}" nonce="${p.nonce}" defer></script>
`,
      )
    : ''
}</head>
<body class="newsroom">
<header class="nr-header">
  <a class="nr-brand" href="/newsroom">${p.publication} <span>newsroom</span></a>
  ${s ? html`<p class="nr-who">${s.staff.name} · ${s.staff.role}</p>` : ''}
</header>
${nav}
<main id="main" class="nr-main">
${p.flash ? html`<p class="nr-flash" role="status">${p.flash}</p>` : ''}
${p.main}
</main>
</body>
</html>`}\n`;
}

export function fieldError(errors: Record<string, string> | undefined, name: string): SafeHtml {
  const e = errors?.[name];
  return e ? html`<p class="nr-error" id="${name}-error">${e}</p>` : html``;
}

export function invalid(errors: Record<string, string> | undefined, name: string): SafeHtml {
  return errors?.[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : html``;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
