#!/usr/bin/env node
// Local SMART App Launch 2.x authorization server for tests and local work, built on oidc-provider 9 (OpenID
// Certified, MIT) — not a hand-written OAuth server. What it adds for SMART (https://hl7.org/fhir/smart-app-launch/):
//   - EHR launch: the `launch` request parameter is the launch context, base64url JSON {"patient": id,
//     "appContext"?: string} (the same convention as the SMART Health IT launcher); standalone launch with
//     `launch/patient` gets SMART_STANDALONE_PATIENT;
//   - the token response carries `patient` (and `appContext`) beside the access token; the access token is a JWT
//     (ES256, verifiable against /jwks) with `patient`, `fhirUser` and `scope` claims and `aud` = the FHIR base URL the
//     app named in `aud`; the id_token carries `fhirUser`;
//   - PKCE S256 is required for every client; consent is approved automatically for a fixed test clinician (no
//     login form: this server is a test double, never an identity provider for people).
// Settings (environment): PORT (0 = free port), HOST (127.0.0.1), SMART_CLIENT_ID (hypogonadism-workup),
// SMART_REDIRECT_URIS (comma-separated; required), SMART_SIGNING_JWK_FILE (private EC P-256 JWK; generated in
// memory when unset), SMART_ACCESS_TOKEN_TTL (seconds, 300), SMART_STANDALONE_PATIENT (unset: standalone launch
// refused), SMART_FHIR_USER (Practitioner/smart-test-clinician).
// The first stdout line is "SMART authorization server on <issuer>" once it listens.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const crypto = require('node:crypto');

const config = {
    host: process.env.HOST || '127.0.0.1',
    port: Number.parseInt(process.env.PORT ?? '0', 10),
    clientId: process.env.SMART_CLIENT_ID || 'hypogonadism-workup',
    redirectUris: (process.env.SMART_REDIRECT_URIS || '').split(',').map((u) => u.trim()).filter(Boolean),
    accessTokenTtl: Number.parseInt(process.env.SMART_ACCESS_TOKEN_TTL ?? '300', 10),
    standalonePatient: process.env.SMART_STANDALONE_PATIENT || null,
    fhirUser: process.env.SMART_FHIR_USER || 'Practitioner/smart-test-clinician',
    accountId: 'smart-test-clinician',
};

if (config.redirectUris.length === 0) {
    process.stderr.write('SMART_REDIRECT_URIS is required (the app\'s redirect URI, e.g. http://127.0.0.1:5080/smart/app)\n');
    process.exit(2);
}

// SMART App Launch 2.x scopes (v2 ".rs"/".r" and the v1 ".read" spellings) on the FHIR resource server.
const resourceScopes = [
    'patient/Observation.rs', 'patient/Condition.rs', 'patient/MedicationRequest.rs', 'patient/Patient.r',
    'patient/Observation.read', 'patient/Condition.read', 'patient/MedicationRequest.read', 'patient/Patient.read',
];
const oidcScopes = ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access'];

function signingJwk() {
    if (process.env.SMART_SIGNING_JWK_FILE) {
        return JSON.parse(fs.readFileSync(process.env.SMART_SIGNING_JWK_FILE, 'utf8'));
    }
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'ES256', use: 'sig' };
}

/** The launch context of an EHR launch: base64url JSON {"patient": "...", "appContext"?: "..."}; null when unreadable. */
function decodeLaunch(launch) {
    if (typeof launch !== 'string' || launch.length === 0 || launch.length > 4096) {
        return null;
    }
    try {
        const context = JSON.parse(Buffer.from(launch, 'base64url').toString('utf8'));
        if (!context || typeof context.patient !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(context.patient)) {
            return null;
        }
        return { patient: context.patient, appContext: typeof context.appContext === 'string' ? context.appContext : undefined };
    } catch {
        return null;
    }
}

/** FHIR base URLs the app may name in `aud`: http(s) on loopback only (this server never runs elsewhere). */
function isLoopbackFhirBase(value) {
    try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    } catch {
        return false;
    }
}

async function main() {
    const { default: Provider, errors } = await import('oidc-provider');
    const launchContexts = new Map(); // grantId → { patient, appContext }
    const jwk = signingJwk();

    const server = http.createServer();
    await new Promise((resolve) => server.listen(config.port, config.host, resolve));
    const issuer = `http://${config.host}:${server.address().port}`;

    const provider = new Provider(issuer, {
        clients: [{
            client_id: config.clientId,
            token_endpoint_auth_method: 'none', // a browser app: public client, PKCE instead of a secret
            redirect_uris: config.redirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code'],
            id_token_signed_response_alg: 'ES256',
        }],
        jwks: { keys: [jwk] },
        cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
        scopes: oidcScopes,
        claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
        extraParams: ['launch', 'aud'],
        pkce: { required: () => true },
        responseTypes: ['code'],
        // The browser app calls the token endpoint from its own origin: allow exactly the redirect URIs' origins.
        clientBasedCORS: (ctx, origin, client) => client.redirectUris.some((uri) => new URL(uri).origin === origin),
        async findAccount(ctx, sub) {
            return { accountId: sub, async claims() { return { sub, fhirUser: config.fhirUser }; } };
        },
        features: {
            devInteractions: { enabled: false },
            resourceIndicators: {
                enabled: true,
                // SMART names the FHIR server in `aud`; it is the access token's audience.
                defaultResource: (ctx) => (isLoopbackFhirBase(ctx.oidc.params?.aud) ? ctx.oidc.params.aud : undefined),
                useGrantedResource: () => true,
                getResourceServerInfo: (ctx, resourceIndicator) => {
                    if (!isLoopbackFhirBase(resourceIndicator)) {
                        throw new errors.InvalidTarget();
                    }
                    return {
                        scope: resourceScopes.join(' '),
                        audience: resourceIndicator,
                        accessTokenTTL: config.accessTokenTtl,
                        accessTokenFormat: 'jwt',
                        jwt: { sign: { alg: 'ES256' } },
                    };
                },
            },
        },
        async extraTokenClaims(ctx, token) {
            const context = launchContexts.get(token.grantId);
            return context ? { patient: context.patient, fhirUser: config.fhirUser } : undefined;
        },
        // Errors as plain text: the default page loads a web font from a third-party origin.
        async renderError(ctx, out) {
            ctx.type = 'text/plain; charset=utf-8';
            ctx.body = Object.entries(out).map(([k, v]) => `${k}: ${v}`).join('\n');
        },
        interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
        ttl: { AccessToken: config.accessTokenTtl, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, IdToken: 3600 },
    });

    // SMART: the launch context travels beside the token (App Launch 2.x §Launch context arrives with the access token).
    provider.use(async (ctx, next) => {
        await next();
        if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.access_token) {
            const grantId = ctx.oidc?.entities?.Grant?.jti ?? ctx.oidc?.entities?.AuthorizationCode?.grantId;
            const context = grantId ? launchContexts.get(grantId) : undefined;
            if (context) {
                ctx.body = { ...ctx.body, patient: context.patient, need_patient_banner: true, ...(context.appContext ? { appContext: context.appContext } : {}) };
            }
        }
    });

    // Why a request was refused (error codes only, never a token or a code), for the test logs.
    for (const event of ['authorization.error', 'grant.error', 'server_error']) {
        provider.on(event, (ctx, err) => process.stderr.write(`${event}: ${err?.error ?? err?.name} ${err?.error_detail ?? err?.error_description ?? err?.message ?? ''}\n`));
    }

    const callback = provider.callback();
    server.on('request', (req, res) => {
        if (req.url.startsWith('/interaction/')) {
            interact(req, res).catch((err) => {
                res.writeHead(500, { 'Content-Type': 'text/plain' });
                res.end(`interaction failed: ${err.message}`);
            });
            return;
        }
        callback(req, res);
    });

    // No login form and no consent screen: the test clinician logs in and approves what the app asked for, within
    // the launch context. An unreadable launch (or a standalone launch without a configured patient) is refused.
    async function interact(req, res) {
        const details = await provider.interactionDetails(req, res);
        const { prompt, params } = details;
        if (prompt.name === 'login') {
            await provider.interactionFinished(req, res, { login: { accountId: config.accountId } }, { mergeWithLastSubmission: false });
            return;
        }

        const scopes = String(params.scope ?? '').split(' ');
        const launch = params.launch !== undefined
            ? decodeLaunch(params.launch)
            : scopes.includes('launch/patient') && config.standalonePatient ? { patient: config.standalonePatient } : null;
        if (!launch) {
            await provider.interactionFinished(req, res, { error: 'invalid_request', error_description: 'unknown or missing launch context' }, { mergeWithLastSubmission: false });
            return;
        }

        const grant = details.grantId
            ? await provider.Grant.find(details.grantId)
            : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
        const missing = prompt.details ?? {};
        if (missing.missingOIDCScope) {
            grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        }
        if (missing.missingOIDCClaims) {
            grant.addOIDCClaims(missing.missingOIDCClaims);
        }
        for (const [indicator, requested] of Object.entries(missing.missingResourceScopes ?? {})) {
            grant.addResourceScope(indicator, requested.join(' '));
        }
        const grantId = await grant.save();
        launchContexts.set(grantId, launch);
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }

    process.stdout.write(`SMART authorization server on ${issuer}\n`);
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
