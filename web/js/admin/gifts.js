// SPDX-License-Identifier: MIT
// Gift stock: GET /gifts (admins see the stock), each gift's name and stock edited
// in its own small form (PATCH /gifts/{id}), and a new gift added (POST /gifts).
// Every new contract takes the gift with the most stock, so the page says which
// one goes out next.
import { get, patch, post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { field, formError, submitForm } from '../desk/common.js';

export function renderGifts(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.gifts.title')),
    h('p', { class: 'muted' }, t('admin.gifts.intro')),
    body);
  const load = async () => {
    loadingInto(body);
    try {
      const { items } = await get('/gifts');
      show(body, items, load);
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

function show(body, gifts, reload) {
  // The gift a new contract gets now: most stock, ties by lowest id.
  const next = gifts.filter((g) => g.stock > 0)
    .sort((a, b) => b.stock - a.stock || a.id - b.id)[0];
  fill(body,
    h('p', { class: 'next-gift', role: 'status' }, next
      ? t('admin.gifts.next', { name: next.name }) : t('admin.gifts.none_in_stock')),
    gifts.length ? h('ul', { class: 'plain gift-list' }, gifts.map((g) => giftRow(g, reload)))
      : h('p', { class: 'empty' }, t('admin.gifts.none')),
    addForm(reload));
}

function giftRow(gift, reload) {
  const p = `gift-${gift.id}`;
  const form = h('form', { class: 'card gift-row', novalidate: true, 'data-gift-key': gift.key },
    h('div', { class: 'gift-fields' },
      field(`${p}-name`, t('admin.gifts.name'), h('input', { name: 'name', maxlength: 200, value: gift.name, required: true })),
      field(`${p}-stock`, t('admin.gifts.stock'), h('input', {
        name: 'stock', type: 'number', min: 0, max: 1000000, step: 1, inputmode: 'numeric', value: gift.stock, required: true,
      })),
      h('div', { class: 'gift-meta' },
        h('span', { class: 'small muted' }, t('admin.gifts.key'), ' ', h('code', {}, gift.key)),
        gift.stock > 0 ? h('span', { class: 'badge ok' }, t('admin.gifts.in_stock'))
          : h('span', { class: 'badge danger' }, t('admin.gifts.out_of_stock'))),
      h('button', { type: 'submit', class: 'secondary' }, t('common.save'),
        h('span', { class: 'visually-hidden' }, ` — ${gift.name}`))),
    formError());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await submitForm(form, (v) => patch(`/gifts/${gift.id}`, {
      name: v.name ?? '', stock: v.stock === undefined ? null : Number(v.stock),
    }));
    if (saved) {
      notify(t('admin.gifts.saved', { name: saved.name, stock: saved.stock }), 'success');
      await reload();
    }
  });
  return h('li', {}, form);
}

function addForm(reload) {
  const form = h('form', { class: 'card add-gift', novalidate: true },
    h('h3', {}, t('admin.gifts.add_title')),
    formError(),
    h('div', { class: 'form-grid' },
      field('gift-new-key', t('admin.gifts.key'), h('input', {
        name: 'key', maxlength: 40, pattern: '[a-z0-9_]+', autocomplete: 'off', required: true,
      }), t('admin.gifts.key_hint')),
      field('gift-new-name', t('admin.gifts.name'), h('input', { name: 'name', maxlength: 200, required: true })),
      field('gift-new-stock', t('admin.gifts.stock'), h('input', {
        name: 'stock', type: 'number', min: 0, max: 1000000, step: 1, inputmode: 'numeric', value: 0,
      }))),
    h('button', { type: 'submit' }, t('admin.gifts.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, (v) => post('/gifts', {
      key: v.key ?? '', name: v.name ?? '', ...(v.stock !== undefined ? { stock: Number(v.stock) } : {}),
    }), { conflict: 'admin.gifts.key_taken' });
    if (made) {
      notify(t('admin.gifts.added', { name: made.name }), 'success');
      await reload();
    }
  });
  return form;
}
