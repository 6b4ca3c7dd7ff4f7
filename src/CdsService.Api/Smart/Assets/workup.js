// The SMART work-up view's only script (docs/decisions/ADR-0010). It does OAuth with the SMART JavaScript client
// (fhirclient, vendored beside it), reads the launched patient's data from the EHR's FHIR server with the user's token,
// and posts what it read to this service, which maps and assesses it with the same code as the cards and answers HTML.
// Nothing clinical is decided here: the queries come from the service (the CDS prefetch catalogue) and every number,
// threshold and rule is applied server-side. The token never leaves the browser (fhirclient keeps it in sessionStorage).
(function () {
    'use strict';

    var body = document.body;
    var status = document.getElementById('status');
    var workup = document.getElementById('workup');

    function show(message, kind) {
        status.textContent = message;
        status.className = kind;
    }

    function fail(message) {
        workup.textContent = '';
        show(message + ' No patient data is shown.', 'error');
    }

    function httpStatus(error) {
        return error && (error.status || error.statusCode || (error.response && error.response.status));
    }

    function launch() {
        var params = new URLSearchParams(window.location.search);
        var scope = body.dataset.scope;
        // Standalone launch (no `launch` from an EHR): ask the authorization server to pick the patient.
        if (!params.get('launch')) {
            scope = scope.split(' ').map(function (s) { return s === 'launch' ? 'launch/patient' : s; }).join(' ');
        }
        show('Signing in with the EHR…', 'info');
        FHIR.oauth2.authorize({
            clientId: body.dataset.clientId,
            scope: scope,
            redirectUri: body.dataset.redirect,
            pkceMode: 'required',
        }).catch(function (error) {
            fail('The app could not start the sign-in (' + error.message + ').');
        });
    }

    function entries(result) {
        // fhirclient returns one Bundle, or an array of Bundles or resources when it followed `next` links.
        var list = Array.isArray(result) ? result : [result];
        var resources = [];
        list.forEach(function (item) {
            if (item && item.resourceType === 'Bundle') {
                (item.entry || []).forEach(function (entry) { if (entry.resource) { resources.push(entry.resource); } });
            } else if (item) {
                resources.push(item);
            }
        });
        return resources;
    }

    async function read(client, patientId) {
        var queries = JSON.parse(body.dataset.queries);
        var prefetch = {};
        for (var i = 0; i < queries.length; i++) {
            var query = queries[i];
            var url = query.query.split('{{context.patientId}}').join(encodeURIComponent(patientId));
            if (query.resourceType === 'Patient') {
                prefetch[query.key] = await client.request(url);
            } else {
                var resources = entries(await client.request(url, { pageLimit: 10 }));
                prefetch[query.key] = {
                    resourceType: 'Bundle',
                    type: 'searchset',
                    entry: resources.map(function (r) { return { resource: r }; }),
                };
            }
        }
        return prefetch;
    }

    async function run() {
        var client;
        try {
            client = await FHIR.oauth2.ready();
        } catch (error) {
            fail('The sign-in could not be completed (' + error.message + '). Launch the app again from the EHR.');
            return;
        }

        var patientId = client.patient.id;
        if (!patientId) {
            fail('The EHR did not say which patient to show. Launch the app again from the patient\'s chart.');
            return;
        }

        var prefetch;
        try {
            show('Reading the patient\'s results from the EHR…', 'info');
            prefetch = await read(client, patientId);
        } catch (error) {
            var code = httpStatus(error);
            if (code === 401) {
                fail('The EHR refused the access token: it has expired or is not valid. Launch the app again from the EHR.');
            } else if (code === 403) {
                fail('The EHR does not allow this sign-in to read this patient\'s record.');
            } else {
                fail('The patient\'s data could not be read from the EHR (' + (code || error.message) + ').');
            }
            return;
        }

        show('Assessing…', 'info');
        var tokenResponse = (client.state && client.state.tokenResponse) || {};
        var response = await fetch(body.dataset.api, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'Accept': 'text/html' },
            body: JSON.stringify({
                patientId: patientId,
                appContext: typeof tokenResponse.appContext === 'string' ? tokenResponse.appContext : null,
                prefetch: prefetch,
            }),
        });
        var html = await response.text();
        if (!response.ok) {
            fail('The service could not assess the data (' + response.status + ').');
            return;
        }

        workup.innerHTML = html; // the service's own HTML-encoded rendering; the page's CSP allows no inline script
        show('Assessed from the EHR\'s data just now. Nothing is stored by this app.', 'ok');
    }

    if (body.dataset.page === 'launch') {
        launch();
    } else {
        run().catch(function (error) { fail('The work-up could not be shown (' + error.message + ').'); });
    }
})();
