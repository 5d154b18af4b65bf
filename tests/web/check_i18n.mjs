// SPDX-License-Identifier: MIT
// The pages' dictionaries agree: node check_i18n.mjs WEB_DIR. web/i18n/{eu,es,en}.json
// have the same keys, each entry is a sentence in all three or a plural form in all
// three, with the same {placeholders}; and every key the pages name literally (t('..'),
// tx(tag, '..'), data-i18n="..") exists. Exit 1 with the list of problems.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const web = process.argv[2];
if (!web) {
  console.error('usage: node check_i18n.mjs WEB_DIR');
  process.exit(2);
}
const LANGS = ['eu', 'es', 'en'];
const dicts = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(readFileSync(join(web, 'i18n', `${l}.json`), 'utf8'))]));
const problems = [];

const placeholders = (entry) => {
  const texts = typeof entry === 'object' ? Object.values(entry) : [entry];
  return [...new Set(texts.flatMap((s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort().join(',');
};

const allKeys = new Set(LANGS.flatMap((l) => Object.keys(dicts[l])));
for (const key of allKeys) {
  const missing = LANGS.filter((l) => !(key in dicts[l]));
  if (missing.length) {
    problems.push(`${key}: missing in ${missing.join(', ')}`);
    continue;
  }
  const kinds = LANGS.map((l) => typeof dicts[l][key]);
  if (new Set(kinds).size > 1) problems.push(`${key}: a sentence in some languages, plural forms in others`);
  for (const l of LANGS) {
    const entry = dicts[l][key];
    if (typeof entry === 'object' && (typeof entry.other !== 'string' || typeof entry.one !== 'string'))
      problems.push(`${l}:${key}: plural entries need "one" and "other"`);
    if (typeof entry === 'string' && !entry.trim()) problems.push(`${l}:${key}: empty`);
  }
  const shapes = LANGS.map((l) => placeholders(dicts[l][key]));
  if (new Set(shapes).size > 1)
    problems.push(`${key}: placeholders differ (${LANGS.map((l, i) => `${l} {${shapes[i]}}`).join(', ')})`);
}

// Numbers written per locale: English sets a percentage without a space ("15% off");
// Basque and Spanish with one (a non-breaking one keeps it with its number).
for (const [key, text] of Object.entries(dicts.en)) {
  if (/\}[\s\u00a0\u202f]%/.test(text)) problems.push(`en ${key}: "${text}" spaces its percent sign (English writes 15%)`);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(js|html)$/.test(name) ? [path] : [];
  });
}
const used = /\b(?:t|tx|tNodes)\(\s*(?:'[\w-]+',\s*)?'([a-z_]+(?:\.[a-z0-9_]+)+)'|data-i18n(?:-[a-z-]+)?="([a-z_]+(?:\.[a-z0-9_]+)+)"|'data-i18n(?:-[a-z-]+)?':\s*'([a-z_]+(?:\.[a-z0-9_]+)+)'/g;
for (const file of files(web)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(used)) {
    const key = m[1] || m[2] || m[3];
    if (!(key in dicts.eu)) problems.push(`${file.slice(web.length + 1)}: uses ${key}, which no dictionary has`);
  }
}

if (problems.length) {
  console.error(`i18n: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${allKeys.size} keys agree in ${LANGS.join(', ')}`);
