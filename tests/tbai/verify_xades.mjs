// SPDX-License-Identifier: MIT
// The second, independent verifier of Harreman's TicketBAI signatures (issue 14):
// npm's xadesjs checks the signature (both references, the RSA value, with the key of
// the KeyInfo certificate) and then its XAdES parts are compared with what the
// certificate and the territory settings say: SigningCertificate (SHA-512 digest of
// the certificate's DER, IssuerSerial), SignaturePolicyIdentifier (identifier, SHA-256
// algorithm and digest), SigningTime, and the KeyInfo certificate itself.
// Usage: node verify_xades.mjs SIGNED.xml CERT.pem POLICY_ID POLICY_DIGEST
// Exit 0 when everything holds; 1 with the reasons otherwise; 2 on a usage error.
import { readFileSync } from 'node:fs';
import { X509Certificate, createHash, webcrypto } from 'node:crypto';
import * as xmldom from '@xmldom/xmldom';
import xpath from 'xpath';
import * as xadesjs from 'xadesjs';

const [file, pemFile, policyId, policyDigest] = process.argv.slice(2);
if (!policyDigest) {
  console.error('usage: verify_xades.mjs SIGNED.xml CERT.pem POLICY_ID POLICY_DIGEST');
  process.exit(2);
}

xadesjs.setNodeDependencies({
  XMLSerializer: xmldom.XMLSerializer,
  DOMParser: xmldom.DOMParser,
  DOMImplementation: xmldom.DOMImplementation,
  xpath,
});
xadesjs.Application.setEngine('NodeJS', webcrypto);

const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

const pem = readFileSync(pemFile, 'utf8');
const cert = new X509Certificate(pem);
const der = cert.raw;

const doc = xadesjs.Parse(readFileSync(file, 'utf8'));
const sigs = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature');
expect(sigs.length === 1, `one ds:Signature (found ${sigs.length})`);
const signed = new xadesjs.SignedXml(doc);
signed.LoadXml(sigs[0]);
let valid = false;
try {
  valid = await signed.Verify();
} catch (e) {
  failures.push(`Verify threw: ${e.message}`);
}
expect(valid, 'xadesjs: the signature verifies');

const refs = signed.XmlSignature.SignedInfo.References;
const types = [];
for (let i = 0; i < refs.Count; i++) types.push(refs.Item(i).Type || '');
expect(types.includes('http://uri.etsi.org/01903#SignedProperties'),
  'a reference of type SignedProperties is signed');
expect(signed.XmlSignature.SignedInfo.SignatureMethod.Algorithm ===
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'rsa-sha256');

const ssp = signed.SignedProperties.SignedSignatureProperties;
const when = ssp.SigningTime.Value;
expect(when instanceof Date && Math.abs(Date.now() - when.getTime()) < 3600e3,
  `SigningTime is now (${when})`);

const certs = ssp.SigningCertificate;
expect(certs.Count === 1, 'one SigningCertificate/Cert');
if (certs.Count === 1) {
  const c = certs.Item(0);
  expect(c.CertDigest.DigestMethod.Algorithm === 'http://www.w3.org/2001/04/xmlenc#sha512',
    'the certificate digest is SHA-512');
  expect(b64(c.CertDigest.DigestValue) === createHash('sha512').update(der).digest('base64'),
    'the certificate digest is that of the signer certificate');
  expect(BigInt(c.IssuerSerial.X509SerialNumber) === BigInt(`0x${cert.serialNumber}`),
    `IssuerSerial serial ${c.IssuerSerial.X509SerialNumber} = 0x${cert.serialNumber}`);
  expect(c.IssuerSerial.X509IssuerName.includes('CN=Harreman TEST certificate'),
    `IssuerSerial issuer ${c.IssuerSerial.X509IssuerName}`);
}

const policy = ssp.SignaturePolicyIdentifier.SignaturePolicyId;
expect(policy.SigPolicyId.Identifier.Value === policyId,
  `policy identifier ${policy.SigPolicyId.Identifier.Value}`);
expect(policy.SigPolicyHash.DigestMethod.Algorithm === 'http://www.w3.org/2001/04/xmlenc#sha256',
  'the policy digest is SHA-256');
expect(b64(policy.SigPolicyHash.DigestValue) === policyDigest,
  `policy digest ${b64(policy.SigPolicyHash.DigestValue)}`);

const kiCert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#',
  'X509Certificate')[0];
expect(kiCert && Buffer.from(kiCert.textContent.replace(/\s+/g, ''), 'base64').equals(der),
  'KeyInfo carries the signer certificate');

if (failures.length) {
  console.error(`${file}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`${file}: xadesjs verified, SigningCertificate and SignaturePolicyIdentifier match`);
