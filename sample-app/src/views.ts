import type { Entry } from './db.js';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** What every page needs to render its header: who is logged in, the CSRF token, a flashed message. */
export interface PageContext {
  user: string | undefined;
  csrfToken: string;
  flash: string | undefined;
}

function layout(title: string, context: PageContext, body: string): string {
  const nav =
    context.user === undefined
      ? `<a href="/login">log in</a>`
      : `<form method="post" action="/logout" class="inline">${csrfField(context)}` +
        `<span>${escapeHtml(context.user)}</span> <button type="submit" class="link">log out</button></form>`;
  const flash =
    context.flash === undefined ? '' : `<div class="flash" role="status">${escapeHtml(context.flash)}</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - Flaskr</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="page">
<header><h1><a href="/">Flaskr</a></h1><nav>${nav}</nav></header>
${flash}
${body}
</main>
</body>
</html>
`;
}

function csrfField(context: PageContext): string {
  return `<input type="hidden" name="csrf_token" value="${escapeHtml(context.csrfToken)}">`;
}

export interface EntryFormValues {
  title: string;
  text: string;
}

/** One page of the list, newest first; `olderBefore` is the cursor of the next (older) page, if any. */
export interface EntriesPage {
  entries: readonly Entry[];
  olderBefore: number | undefined;
}

export function renderEntries(
  page: EntriesPage,
  context: PageContext,
  form: { values: EntryFormValues; error: string | undefined } = {
    values: { title: '', text: '' },
    error: undefined,
  },
): string {
  const addForm =
    context.user === undefined
      ? ''
      : `<form method="post" action="/add" class="add-entry">
${csrfField(context)}
${form.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(form.error)}</p>`}
<label for="title">Title</label>
<input id="title" name="title" required maxlength="${TITLE_MAX_LENGTH}" value="${escapeHtml(form.values.title)}">
<label for="text">Text</label>
<textarea id="text" name="text" rows="5" maxlength="${TEXT_MAX_LENGTH}">${escapeHtml(form.values.text)}</textarea>
<button type="submit">Share</button>
</form>`;
  const { entries, olderBefore } = page;
  const list =
    entries.length === 0
      ? '<p class="empty">Unbelievable. No entries here so far.</p>'
      : `<ul class="entries">\n${entries.map(renderEntry).join('\n')}\n</ul>`;
  const older =
    olderBefore === undefined
      ? ''
      : `\n<nav class="pages"><a href="/?before=${olderBefore}" rel="next">older posts</a></nav>`;
  return layout('Entries', context, `${addForm}\n${list}${older}`);
}

function renderEntry(entry: Entry): string {
  return (
    `<li id="entry-${entry.id}"><h2>${escapeHtml(entry.title)}</h2>` +
    `<time datetime="${escapeHtml(entry.createdAt)}">${escapeHtml(entry.createdAt.replace('T', ' ').slice(0, 16))}</time>` +
    `<div class="text">${escapeHtml(entry.text)}</div></li>`
  );
}

export function renderLogin(context: PageContext, username: string, error: string | undefined): string {
  return layout(
    'Log in',
    context,
    `<h2>Log in</h2>
${error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="/login" class="login">
${csrfField(context)}
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

/** A plain page for 4xx/5xx answers, without details that could help an attacker. */
export function renderError(status: number, message: string, context: PageContext): string {
  return layout(String(status), context, `<h2>${status}</h2><p class="error">${escapeHtml(message)}</p>`);
}

export const TITLE_MAX_LENGTH = 200;
export const TEXT_MAX_LENGTH = 10_000;
