import type { AccountRecord, Role, User } from '../core/records.js';
import type { CurrentUser } from '../services/visibleReads.js';

/**
 * The server-rendered pages of the local portal: sign-in, "not found", and the shell page that loads the
 * Lightning components (the portal bundle, docs/PORTAL.md). Styled with SLDS from /assets; every value
 * goes through `escapeHtml`, and the sign-in and not-found pages run no script at all.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export const SLDS_STYLESHEET = '/assets/styles/salesforce-lightning-design-system.min.css';
export const PORTAL_SCRIPT = '/portal/portal.js';
/** The header's SLDS "quotes" icon, as the tab's icon (the browsers' /favicon.ico is sent there too). */
export const FAVICON = '/assets/icons/standard/quotes_60.png';

function document(title: string, head: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="${FAVICON}">
<link rel="stylesheet" href="${SLDS_STYLESHEET}">
${head}</head>
<body class="slds-scope">
${body}
</body>
</html>
`;
}

/** A page without script: the SLDS global header and a centred column. */
function plainPage(title: string, body: string): string {
  return document(
    title,
    '',
    `<div class="slds-global-header slds-grid slds-grid_align-spread"><div class="slds-global-header__item"><span class="slds-text-heading_small">Channel CPQ</span> <span class="slds-text-color_weak">Partner portal</span></div></div>
<main class="slds-container_large slds-container_center slds-p-around_medium">
${body}
</main>`,
  );
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

function card(title: string, body: string, heading = 'h2'): string {
  return `<article class="slds-card">
<div class="slds-card__header slds-grid"><header class="slds-media slds-media_center slds-has-flexi-truncate"><div class="slds-media__body"><${heading} class="slds-card__header-title slds-text-heading_small">${escapeHtml(title)}</${heading}></div></header></div>
<div class="slds-card__body slds-card__body_inner">${body}</div>
</article>`;
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
        (u) => `<li class="slds-item slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
<span><strong>${escapeHtml(u.name)}</strong> <span class="slds-text-color_weak">${escapeHtml(accountName.get(u.accountId) ?? u.accountId)} · ${escapeHtml(u.email)}</span></span>
<form method="post" action="/login"><input type="hidden" name="userId" value="${escapeHtml(u.id)}"><button class="slds-button slds-button_neutral" type="submit">Sign in as ${escapeHtml(u.name)}</button></form></li>`,
      )
      .join('\n');
    return `<div class="slds-m-top_medium">${card(ROLE_LABELS[role], `<ul class="slds-has-dividers_bottom-space">\n${items}\n</ul>`)}</div>`;
  }).join('\n');
  const error = input.error
    ? `<div class="slds-notify slds-notify_alert slds-alert_error slds-m-top_medium" role="alert">${escapeHtml(input.error)}</div>`
    : '';
  const current = input.signedInAs
    ? `<p class="slds-m-top_small">You are signed in as ${escapeHtml(input.signedInAs.name)}. <a href="/">Back to the portal</a></p>`
    : '';
  const empty = input.users.length === 0 ? '<p class="slds-m-top_medium">The database has no users.</p>' : '';
  return plainPage(
    'Sign in · Channel CPQ',
    `${card(
      'Sign in to the partner portal',
      `<p class="slds-text-color_weak">A local preview: choose a demo user to see the portal as that user sees it.</p>${current}`,
      'h1',
    )}
${error}${groups}${empty}`,
  );
}

export function notFoundPage(): string {
  return plainPage('Not found · Channel CPQ', card('Not found', '<a href="/">Back to the portal</a>', 'h1'));
}

/** JSON inside a <script type="application/json">: no character can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The shell page of the portal: the signed-in user (read by the shell and by `@salesforce/user/Id`) and
 * the bundle. `notFound` tells the shell that the URL shows nothing this user may see (answered with 404).
 */
export function shellPage(input: { user: CurrentUser; notFound?: boolean }): string {
  const { user } = input;
  return document(
    'Channel CPQ',
    `<meta name="cpq-user-id" content="${escapeHtml(user.id)}">
${input.notFound ? '<meta name="cpq-not-found" content="true">\n' : ''}<script type="application/json" id="cpq-user">${scriptJson(
      {
        id: user.id,
        name: user.name,
        role: user.role,
        accountId: user.accountId,
        accountName: user.accountName,
      },
    )}</script>
<script type="module" src="${PORTAL_SCRIPT}"></script>
`,
    `<div id="portal-root"></div>
<noscript><div class="slds-p-around_medium">The partner portal needs JavaScript.</div></noscript>`,
    // The user's locale: what @salesforce/i18n/locale answers in the bundle (shims/i18nLocale.js), as in an org.
    user.locale,
  );
}

/** When the bundle has not been built: say how to build it. */
export function bundleMissingPage(): string {
  return plainPage(
    'Portal not built · Channel CPQ',
    card(
      'The portal is not built yet',
      '<p>Build the Lightning components for the browser with <code>npm run build:portal</code> (part of <code>npm run build</code>), then reload.</p>',
      'h1',
    ),
  );
}
