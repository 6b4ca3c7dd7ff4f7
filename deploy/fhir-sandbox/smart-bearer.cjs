// Optional SMART on FHIR protection of the sandbox (off unless SANDBOX_SMART_ISSUER is set): what an EHR's FHIR server
// does for a SMART app (https://hl7.org/fhir/smart-app-launch/), so the SMART work-up view is tested against real
// token checks (deploy/smart-auth-server issues the tokens). Self-contained, node built-ins only:
//   - GET /fhir/.well-known/smart-configuration: discovery built from the issuer's OpenID configuration;
//   - every other FHIR request except GET /fhir/metadata needs `Authorization: Bearer <JWT>`: signature verified
//     against the issuer's JWKS (ES256/RS256/PS256), `iss` = the issuer, `aud` = this FHIR base, `exp`/`nbf` in force;
//     else 401;
//   - patient-level scopes: the token's `patient` claim bounds the request (Patient/<id> read; search by
//     patient/subject), and the resource type must be granted (v2 patient/X.rs|r or v1 patient/X.read); else 403;
//   - CORS for browser apps: the request's Origin is echoed, preflights answered (GET, Authorization header).
// No token, claim or patient id is ever written to the log.
'use strict';

const crypto = require('node:crypto');

const SCOPE_PATTERN = /^patient\/([A-Za-z*]+)\.(read|[cruds]+)$/;

function create(options) {
    const issuer = options.issuer.replace(/\/$/, '');
    let openid = null;
    let keys = new Map();

    async function discover() {
        if (!openid) {
            const response = await fetch(`${issuer}/.well-known/openid-configuration`);
            if (!response.ok) {
                throw new Error(`issuer discovery failed: ${response.status}`);
            }
            openid = await response.json();
        }
        return openid;
    }

    async function key(kid) {
        if (!keys.has(kid)) {
            const { jwks_uri: jwksUri } = await discover();
            const response = await fetch(jwksUri);
            const jwks = await response.json();
            keys = new Map((jwks.keys ?? []).map((k) => [k.kid, crypto.createPublicKey({ key: k, format: 'jwk' })]));
        }
        return keys.get(kid) ?? null;
    }

    async function verify(token, audience) {
        const parts = token.split('.');
        if (parts.length !== 3) {
            return { error: 'not a JWT' };
        }
        let header;
        let claims;
        try {
            header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
            claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        } catch {
            return { error: 'unreadable JWT' };
        }
        const algorithms = { ES256: 'sha256', RS256: 'sha256', PS256: 'sha256' };
        if (!algorithms[header.alg]) {
            return { error: 'algorithm not accepted' };
        }
        const publicKey = await key(header.kid);
        if (!publicKey) {
            return { error: 'unknown signing key' };
        }
        const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
        const signature = Buffer.from(parts[2], 'base64url');
        const verifyOptions = header.alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' }
            : header.alg === 'PS256' ? { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
                : { key: publicKey };
        if (!crypto.verify(algorithms[header.alg], signed, verifyOptions, signature)) {
            return { error: 'bad signature' };
        }
        const now = Math.floor(Date.now() / 1000);
        const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        if (claims.iss !== (await discover()).issuer) {
            return { error: 'wrong issuer' };
        }
        if (!aud.includes(audience)) {
            return { error: 'wrong audience' };
        }
        if (typeof claims.exp !== 'number' || claims.exp <= now) {
            return { error: 'expired' };
        }
        if (typeof claims.nbf === 'number' && claims.nbf > now + 5) {
            return { error: 'not yet valid' };
        }
        return { claims };
    }

    function granted(claims, resourceType) {
        const scopes = String(claims.scope ?? '').split(' ');
        return scopes.some((s) => {
            const match = SCOPE_PATTERN.exec(s);
            return match && (match[1] === resourceType || match[1] === '*') && (match[2] === 'read' || match[2].includes('r'));
        });
    }

    /** Whether the request stays inside the token's patient: a Patient read of that id, or a search bound to it. */
    function inCompartment(patient, segments, searchParams) {
        const [type, id] = segments;
        if (type === 'Patient') {
            return id === patient && segments.length === 2;
        }
        if (segments.length !== 1) {
            return false; // reads by id of other types are not used by the app; refuse rather than check ownership
        }
        const bound = [...searchParams.entries()]
            .filter(([name]) => ['patient', 'subject', 'subject:Patient'].includes(name))
            .map(([, value]) => value.replace(/^Patient\//, ''));
        return bound.length > 0 && bound.every((value) => value === patient);
    }

    function cors(req, res) {
        const origin = req.headers.origin;
        if (origin) {
            res.setHeader('Access-Control-Allow-Origin', origin);
            res.setHeader('Vary', 'Origin');
            res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Location');
        }
    }

    function reply(res, status, body, headers = {}) {
        res.writeHead(status, { 'Content-Type': 'application/fhir+json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
    }

    function outcome(code, text) {
        return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] };
    }

    /**
     * Handles what SMART protection answers itself (preflight, discovery, 401/403); returns true when it answered.
     * `baseUrl` is this sandbox's FHIR base (the tokens' audience).
     */
    async function intercept(req, res, url, baseUrl) {
        cors(req, res);
        if (req.method === 'OPTIONS') {
            res.writeHead(204, {
                'Access-Control-Allow-Methods': 'GET',
                'Access-Control-Allow-Headers': 'Authorization, Accept, Content-Type',
                'Access-Control-Max-Age': '600',
            });
            res.end();
            return true;
        }
        if (url.pathname === '/fhir/.well-known/smart-configuration' && req.method === 'GET') {
            const o = await discover();
            reply(res, 200, {
                issuer: o.issuer,
                jwks_uri: o.jwks_uri,
                authorization_endpoint: o.authorization_endpoint,
                token_endpoint: o.token_endpoint,
                grant_types_supported: ['authorization_code'],
                token_endpoint_auth_methods_supported: ['none'],
                scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'patient/Observation.rs', 'patient/Condition.rs',
                    'patient/MedicationRequest.rs', 'patient/Patient.r', 'patient/Observation.read', 'patient/Condition.read',
                    'patient/MedicationRequest.read', 'patient/Patient.read'],
                response_types_supported: ['code'],
                code_challenge_methods_supported: ['S256'],
                capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient',
                    'sso-openid-connect', 'permission-patient', 'permission-v1', 'permission-v2'],
            }, { 'Content-Type': 'application/json' });
            return true;
        }
        if (url.pathname === '/fhir/metadata' && req.method === 'GET') {
            return false; // the CapabilityStatement is public
        }

        const header = req.headers.authorization ?? '';
        const challenge = { 'WWW-Authenticate': 'Bearer realm="fhir-sandbox"' };
        if (!header.startsWith('Bearer ')) {
            reply(res, 401, outcome('login', 'A bearer token is required'), challenge);
            return true;
        }
        const result = await verify(header.substring('Bearer '.length), baseUrl);
        if (result.error) {
            reply(res, 401, outcome('login', `The bearer token was refused: ${result.error}`), { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
            return true;
        }
        const segments = url.pathname.split('/').filter(Boolean).slice(1);
        const patient = result.claims.patient;
        if (req.method !== 'GET' || !patient || !granted(result.claims, segments[0]) || !inCompartment(patient, segments, url.searchParams)) {
            reply(res, 403, outcome('forbidden', 'The token does not grant this request (patient, resource type or method)'));
            return true;
        }
        return false;
    }

    return { intercept };
}

module.exports = { create };
