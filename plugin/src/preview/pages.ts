import type { AccountRecord, Role, User } from '../core/records.js';
import type { QuoteSummary } from '../services/quotes.js';

/**
 * The server-rendered pages of the local portal (until the Lightning components replace the home page):
 * sign-in and a list of the viewer's quotes. Plain HTML with inline SLDS-like CSS, no external assets and
 * no script; every value goes through `escapeHtml`.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:13px;color:#181818;background:#f3f3f3}
header{display:flex;align-items:center;justify-content:space-between;padding:0 1.5rem;height:3rem;background:#fff;border-bottom:1px solid #e5e5e5;box-shadow:0 2px 2px rgba(0,0,0,.05)}
header .brand{font-weight:700;font-size:15px;color:#0176d3}
header .who{display:flex;gap:1rem;align-items:center;color:#444}
main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}
.card{background:#fff;border:1px solid #e5e5e5;border-radius:.25rem;box-shadow:0 2px 2px rgba(0,0,0,.05);margin-bottom:1rem}
.card h1,.card h2{margin:0;padding:.75rem 1rem;font-size:16px;border-bottom:1px solid #e5e5e5}
.card .body{padding:1rem}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-weight:600;text-transform:uppercase;font-size:11px;color:#444;background:#f3f3f3;padding:.5rem .75rem;border-bottom:1px solid #e5e5e5}
td{padding:.5rem .75rem;border-bottom:1px solid #e5e5e5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:hover td{background:#f3f3f3}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#e5e5e5;font-size:11px}
.badge.Draft{background:#ecebea}.badge.NeedsApproval{background:#fe9339;color:#fff}.badge.Approved,.badge.Accepted{background:#2e844a;color:#fff}
.badge.Rejected,.badge.Expired{background:#ba0517;color:#fff}.badge.Ordered{background:#0176d3;color:#fff}
.btn{display:inline-block;padding:.4rem 1rem;border:1px solid #c9c9c9;border-radius:.25rem;background:#fff;color:#0176d3;font:inherit;cursor:pointer;text-decoration:none}
.btn:hover{background:#f3f3f3}
.btn.link{border:none;background:none;padding:0;color:#0176d3;text-decoration:underline}
.users{list-style:none;margin:0;padding:0}
.users li{display:flex;align-items:center;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid #e5e5e5}
.users li:last-child{border-bottom:none}
.muted{color:#747474}
.error{background:#fef1ee;border:1px solid #ba0517;color:#ba0517;padding:.5rem 1rem;border-radius:.25rem;margin-bottom:1rem}
.empty{padding:1rem;color:#747474}
`;

function layout(title: string, header: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><span class="brand">Channel CPQ</span>${header}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

const ROLE_LABELS: Record<Role, string> = {
  vendorAdmin: 'Vendor admin',
  distributorUser: 'Distributor users',
  resellerUser: 'Reseller users',
};

const ROLE_ORDER: readonly Role[] = ['vendorAdmin', 'distributorUser', 'resellerUser'];

export function roleLabel(role: Role): string {
  return role === 'vendorAdmin' ? 'vendor admin' : role === 'distributorUser' ? 'distributor user' : 'reseller user';
}

/** The sign-in page: every user of the store, grouped by role, each with its own sign-in button. */
export function loginPage(input: {
  users: readonly User[];
  accounts: readonly AccountRecord[];
  error?: string;
  signedInAs?: User;
}): string {
  const accountName = new Map(input.accounts.map((a) => [a.id, a.name ?? a.id]));
  const groups = ROLE_ORDER.map((role) => {
    const users = input.users.filter((u) => u.role === role);
    if (users.length === 0) return '';
    const items = users
      .map(
        (
          u,
        ) => `<li><span><strong>${escapeHtml(u.name)}</strong> <span class="muted">${escapeHtml(accountName.get(u.accountId) ?? u.accountId)} · ${escapeHtml(u.email)}</span></span>
<form method="post" action="/login"><input type="hidden" name="userId" value="${escapeHtml(u.id)}"><button class="btn" type="submit">Sign in as ${escapeHtml(u.name)}</button></form></li>`,
      )
      .join('\n');
    return `<section class="card"><h2>${escapeHtml(ROLE_LABELS[role])}</h2><div class="body"><ul class="users">
${items}
</ul></div></section>`;
  }).join('\n');
  const error = input.error ? `<div class="error" role="alert">${escapeHtml(input.error)}</div>` : '';
  const current = input.signedInAs
    ? `<p class="muted">You are signed in as ${escapeHtml(input.signedInAs.name)}. <a href="/">Back to the portal</a></p>`
    : '';
  const empty = input.users.length === 0 ? '<p class="empty">The database has no users.</p>' : '';
  return layout(
    'Sign in · Channel CPQ',
    '',
    `<section class="card"><h1>Sign in to the partner portal</h1><div class="body">
<p class="muted">A local preview: choose a demo user to see the portal as that user sees it.</p>${current}</div></section>
${error}${groups}${empty}`,
  );
}

/** The home page: who is signed in and the quotes they can see (Net only for non-resellers). */
export function portalPage(input: { user: User; account: AccountRecord | undefined; quotes: readonly QuoteSummary[] }): string {
  const { user, account, quotes } = input;
  const showNet = user.role !== 'resellerUser';
  const rows = quotes
    .map(
      (q) => `<tr>
<td>${escapeHtml(q.number)}</td>
<td>${escapeHtml(q.name)}</td>
<td><span class="badge ${escapeHtml(q.status)}">${escapeHtml(q.status)}</span></td>
<td>${escapeHtml(q.endCustomerName)}</td>
<td class="num">${escapeHtml(money(q.customerTotal, q.currency))}</td>${showNet ? `\n<td class="num">${escapeHtml(money(q.netTotal ?? null, q.currency))}</td>` : ''}
</tr>`,
    )
    .join('\n');
  const table =
    quotes.length === 0
      ? '<p class="empty">No quotes yet.</p>'
      : `<table>
<thead><tr><th>Number</th><th>Name</th><th>Status</th><th>End customer</th><th class="num">Customer total</th>${showNet ? '<th class="num">Net total</th>' : ''}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  const header = `<span class="who"><span>${escapeHtml(user.name)} · ${escapeHtml(account?.name ?? user.accountId)} (${escapeHtml(roleLabel(user.role))})</span>
<a class="btn link" href="/login">Switch user</a>
<form method="post" action="/logout"><button class="btn link" type="submit">Sign out</button></form></span>`;
  return layout(
    'Quotes · Channel CPQ',
    header,
    `<section class="card"><h1>Quotes</h1>
${table}
</section>`,
  );
}

function money(amount: string | null, currency: string): string {
  return amount === null ? '–' : `${amount} ${currency}`;
}

export function notFoundPage(): string {
  return layout(
    'Not found · Channel CPQ',
    '',
    '<section class="card"><h1>Not found</h1><div class="body"><a href="/">Back to the portal</a></div></section>',
  );
}
