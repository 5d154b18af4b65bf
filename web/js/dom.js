// SPDX-License-Identifier: MIT
// Building the page safely: h() creates elements from data with textContent only
// (never innerHTML), so text from the API — names, notes, contributions — can
// never become markup or script.

/**
 * h('button', {class: 'primary', onclick: fn, 'data-id': 3}, 'text', child, ...)
 * Attributes: `class`, `dataset` entries via data-*, event handlers via on<event>,
 * booleans set or remove the attribute, `text` as a shortcut for one text child.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside el with children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** document.getElementById that fails loudly when the page lacks the element. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page has no #${id}`);
  return el;
}

/** Reads a form's named controls into an object (empty strings dropped). */
export function formValues(form) {
  const values = {};
  for (const [k, v] of new FormData(form).entries()) {
    const text = typeof v === 'string' ? v.trim() : v;
    if (text !== '') values[k] = text;
  }
  return values;
}
