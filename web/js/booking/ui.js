// SPDX-License-Identifier: MIT
// Small building blocks the booking page's panels share: translated elements that
// follow language changes (data-i18n), sentences with elements inside them, an
// accessible tab set, a relative "today at 16:00" wording, and the page's events.
import { h } from '../dom.js';
import { t, hasKey } from '../i18n.js';
import { businessDate, addDays, dayLabel, time } from '../format.js';

/** An element whose text is the translation of key, kept current by translateTree. */
export function tx(tag, key, attrs = {}) {
  return h(tag, { ...attrs, 'data-i18n': key }, t(key));
}

/**
 * The sentence for key with some placeholders replaced by elements (the rest from
 * params as text), e.g. tNodes('book.quote.discount', {}, {percent: span}).
 * The word order stays the translation's: "% 5" in Basque, "5 %" in Spanish.
 */
export function tNodes(key, params = {}, nodes = {}) {
  const template = t(key, params);
  const out = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in nodes)) continue;
    out.push(template.slice(last, m.index), nodes[m[1]]);
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  return out.filter((part) => part !== '');
}

/** A translated label for a data value (subject, kind, gift key), else the value. */
export function label(prefix, value, fallback) {
  const key = `${prefix}.${value}`;
  return hasKey(key) ? t(key) : (fallback ?? String(value));
}

/** The name of a gift: the seeded gifts are translated by key, others as named. */
export function giftName(gift) {
  return label('book.gift', gift.key, gift.name);
}

/** Today (YYYY-MM-DD) in the business time zone. */
export function today() { return businessDate(new Date().toISOString()); }

/** "today, 16:00", "tomorrow, 08:30" or "Mon 30 Nov, 08:30" for an instant. */
export function whenText(instant) {
  const d = businessDate(instant);
  const at = time(instant);
  if (d === today()) return t('book.when.today', { time: at });
  if (d === addDays(today(), 1)) return t('book.when.tomorrow', { time: at });
  return t('book.when.day', { day: dayLabel(d), time: at });
}

/**
 * Tabs following the WAI-ARIA pattern (arrow keys, Home, End). items:
 * [{id, labelKey, panel: Element}]. Returns {element, select(id)}.
 */
export function tabs(prefix, items, selected = items[0].id) {
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const panels = [];
  const buttons = [];
  const select = (id, focus = false) => {
    for (const [i, item] of items.entries()) {
      const on = item.id === id;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
      if (on && focus) buttons[i].focus();
    }
  };
  for (const item of items) {
    const button = tx('button', item.labelKey, {
      type: 'button', role: 'tab', id: `${prefix}-tab-${item.id}`,
      'aria-controls': `${prefix}-panel-${item.id}`,
      onclick: () => select(item.id),
    });
    buttons.push(button);
    list.append(button);
    panels.push(h('div', {
      role: 'tabpanel', id: `${prefix}-panel-${item.id}`,
      'aria-labelledby': `${prefix}-tab-${item.id}`,
    }, item.panel));
  }
  list.addEventListener('keydown', (event) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(items[(next + items.length) % items.length].id, true);
  });
  select(selected);
  return { element: h('div', { class: 'tabset' }, list, panels), select };
}

// The page's events: "session" (logged in or out), "booked" and "cancelled".
const bus = new EventTarget();
export function emit(name, detail) { bus.dispatchEvent(new CustomEvent(name, { detail })); }
export function on(name, fn) { bus.addEventListener(name, (event) => fn(event.detail)); }
