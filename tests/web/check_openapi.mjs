// SPDX-License-Identifier: MIT
// docs/openapi.yaml is a valid OpenAPI 3.1 document (npm's
// @seriousme/openapi-schema-validator, an outside checker), and it describes exactly
// the routes of src/api/routes.c: every route's methods are documented, nothing is
// documented that the server does not serve, and every operation declares the
// answers every route can give (405 with Allow, 414).
// Usage: node check_openapi.mjs REPO_ROOT
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = process.argv[2];
const require = createRequire(path.join(root, 'tests/browser/package.json'));
const { Validator } = await import(require.resolve('@seriousme/openapi-schema-validator'));
const YAML = await import(require.resolve('yaml'));

let failures = 0;
const fail = (msg) => { failures++; console.log(`not ok: ${msg}`); };

const text = readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8');
const validator = new Validator();
const res = await validator.validate(text);
if (!res.valid) fail(`docs/openapi.yaml is not valid OpenAPI: ${JSON.stringify(res.errors).slice(0, 2000)}`);
const doc = YAML.parse(text);

// The route table: .methods = HM_GET | HM_POST, .pattern = V1 "/x/{id}"
const routes = readFileSync(path.join(root, 'src/api/routes.c'), 'utf8');
const served = new Set();
for (const m of routes.matchAll(/\.methods = ([A-Z_| ]+), \.pattern = (V1 )?"([^"]+)"/g)) {
  const p = (m[2] ? '/api/v1' : '') + m[3];
  for (const bit of m[1].split('|')) served.add(`${bit.trim().slice(3).toLowerCase()} ${p}`);
}
const documented = new Set();
for (const [p, item] of Object.entries(doc.paths)) {
  for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
    const op = item[method];
    if (!op) continue;
    documented.add(`${method} ${p}`);
    for (const code of ['405', '414'])
      if (!op.responses?.[code]) fail(`${method.toUpperCase()} ${p} does not declare ${code}`);
  }
}
for (const r of served) if (!documented.has(r)) fail(`served but not documented: ${r}`);
for (const d of documented) if (!served.has(d)) fail(`documented but not served: ${d}`);

console.log(`${served.size} routes checked against docs/openapi.yaml`);
console.log(`${failures === 0 ? 1 : 0} passed, ${failures === 0 ? 0 : 1} failed`);
process.exit(failures ? 1 : 0);
