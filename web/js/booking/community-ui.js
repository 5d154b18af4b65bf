// SPDX-License-Identifier: MIT
// What the community panels (events, contributions) share: text from the API shown
// strictly as text with its line breaks, long texts collapsed behind a "read more"
// toggle that remembers what was opened across re-renders, and the prompt that
// sends a visitor to the login form.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { tNodes } from './ui.js';

const MAX_LINES = 6;
const MAX_CHARS = 420;
const opened = new Set();

/** The start of a long text (whole words, at most MAX_LINES lines), or null when it is short. */
export function excerptOf(text) {
  const lines = text.split('\n');
  let out = lines.slice(0, MAX_LINES).join('\n');
  if (out.length > MAX_CHARS) {
    out = out.slice(0, MAX_CHARS);
    const space = out.search(/\s\S*$/);
    if (space > MAX_CHARS * 0.6) out = out.slice(0, space);
  }
  if (out.length >= text.length) return null;
  return `${out.trimEnd()}…`;
}

/**
 * A text from the API as a paragraph (textContent: never markup, line breaks kept).
 * A long one shows its start and a "read more" button (aria-expanded, aria-controls).
 * id is unique on the page and names what was opened.
 */
export function collapsibleText(text, id, className) {
  const value = String(text ?? '');
  const excerpt = excerptOf(value);
  const para = h('p', { class: `api-text ${className}`, id, 'data-field': 'body' });
  if (excerpt === null) {
    para.textContent = value;
    return para;
  }
  const open = opened.has(id);
  para.textContent = open ? value : excerpt;
  para.dataset.collapsed = String(!open);
  const toggle = h('button', {
    type: 'button', class: 'link read-more', 'aria-expanded': String(open), 'aria-controls': id,
    onclick: () => {
      const now = !opened.has(id);
      if (now) opened.add(id); else opened.delete(id);
      para.textContent = now ? value : excerpt;
      para.dataset.collapsed = String(!now);
      toggle.setAttribute('aria-expanded', String(now));
      toggle.textContent = t(now ? 'book.community.read_less' : 'book.community.read_more');
    },
  }, t(open ? 'book.community.read_less' : 'book.community.read_more'));
  return h('div', { class: 'collapsible' }, para, toggle);
}

/** "Log in to ..." with a link to the account card's login form. */
export function loginPrompt(key) {
  const link = h('a', {
    href: '#account',
    onclick: (event) => {
      // Straight to the form's first field (the card is far down on a phone).
      const tab = document.querySelector('#account-tab-login');
      const input = document.querySelector('#account-panel-login input[name=email]');
      if (!tab || !input) return;
      event.preventDefault();
      tab.click();
      input.focus();
    },
  }, t('book.community.login_link'));
  return h('p', { class: 'login-prompt' }, tNodes(key, {}, { link }));
}
