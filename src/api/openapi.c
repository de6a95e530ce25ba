/* GET /api/v1/openapi.json: the OpenAPI 3 document, made from the route table itself so that it
 * cannot drift from it — each operation names its permission rule (x-nrm-rule) and the roles
 * that rule admits — and from data/api/schemas.json, which says what each route takes and
 * answers. tests/ui/contract.test.mjs holds every reply of the API suites to those schemas. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "secure/perm.h"

/* A body as OpenAPI writes it: {"json": SCHEMA} is JSON, {"content": TYPE or [TYPE, …]} a file
 * of that type or of one of those. */
static json_t *content(const json_t *spec)
{
	const json_t *schema = json_object_get(spec, "json"), *types = json_object_get(spec, "content");
	if (schema)
		return json_pack("{s:{s:O}}", "application/json", "schema", schema);
	if (!types)
		return NULL;
	json_t *out = json_object();
	size_t n = json_is_array(types) ? json_array_size(types) : 1;
	for (size_t i = 0; i < n; i++) {
		const char *type = json_string_value(json_is_array(types) ? json_array_get(types, i) : types);
		if (type)
			json_object_set_new(out, type, json_pack("{s:{s:s, s:s}}", "schema", "type", "string", "format", "binary"));
	}
	return out;
}

static json_t *responses(const json_t *spec)
{
	json_t *out = json_object();
	const char *status;
	const json_t *r;
	json_object_foreach((json_t *)json_object_get(spec, "responses"), status, r) {
		const char *d = json_string_value(json_object_get(r, "description"));
		json_t *one = json_pack("{s:s}", "description", d ? d : "success");
		json_t *c = content(r);
		if (c)
			json_object_set_new(one, "content", c);
		json_object_set_new(out, status, one);
	}
	if (!json_object_size(out))
		json_object_set_new(out, "200", json_pack("{s:s}", "description", "success"));
	json_object_set_new(out, "default",
			    json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "an error (docs/api.md, \"Errors\")", "content",
				      "application/json", "schema", "$ref", "#/components/schemas/Error"));
	return out;
}

static json_t *operation(const struct http_route *r, const json_t *spec)
{
	json_t *roles = json_array(), *params = json_array();
	for (int k = 0; k < ROLE_COUNT; k++)
		if (r->rule != RULE_PUBLIC && perm_rule_allows((enum perm_rule)r->rule, (enum role)k))
			json_array_append_new(roles, json_string(role_name((enum role)k)));
	for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{'))
		json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, strcspn(p + 1, "}"),
							 "in", "path", "required", 1, "schema", "type", "string"));
	size_t i;
	const json_t *q;
	json_array_foreach((json_t *)json_object_get(spec, "query"), i, q)
		json_array_append_new(params, json_pack("{s:O, s:s, s:O*, s:O}", "name", json_object_get(q, "name"), "in",
							 "query", "description", json_object_get(q, "description"),
							 "schema", json_object_get(q, "schema")));
	json_t *op = json_pack("{s:o, s:s, s:o}", "responses", responses(spec), "x-nrm-rule",
			       perm_rule_name((enum perm_rule)r->rule), "x-nrm-roles", roles);
	const json_t *summary = json_object_get(spec, "summary"), *access = json_object_get(spec, "access");
	if (summary)
		json_object_set(op, "summary", (json_t *)summary);
	/* Public, but only to the server's own loopback address (/metrics). */
	if (access)
		json_object_set(op, "x-nrm-access", (json_t *)access);
	const json_t *request = json_object_get(spec, "request");
	json_t *body = content(request);
	/* A body of no members ({}) may as well be left out. */
	const json_t *members = json_object_get(json_object_get(request, "json"), "properties");
	int needed = !json_object_get(request, "json") || json_object_size(members) > 0;
	if (body)
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:o, s:O*}", "required", needed, "content", body,
								 "description", json_object_get(request, "description")));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (r->rule == RULE_PUBLIC)
		json_object_set_new(op, "security", json_array());
	return op;
}

void api_openapi(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	const json_t *contract = api_config()->contract;
	const json_t *ops = json_object_get(contract, "operations");
	size_t n;
	const struct http_route *routes = api_routes(&n);
	json_t *paths = json_object();
	for (size_t i = 0; i < n; i++) {
		const struct http_route *r = &routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		char method[8], key[160];
		size_t k = 0;
		for (; r->method[k] && k < sizeof method - 1; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[k] = '\0';
		snprintf(key, sizeof key, "%s %s", r->method, r->pattern);
		json_object_set_new(item, method, operation(r, json_object_get(ops, key)));
	}
	json_t *all = json_array();
	for (int k = 0; k < ROLE_COUNT; k++)
		json_array_append_new(all, json_string(role_name((enum role)k)));
	json_t *schemas = json_object_get(contract, "schemas");
	schemas = schemas ? json_incref(schemas) : json_object();
	/* A person's session cookie, or another system's API token (POST /api/v1/tokens). */
	http_reply_json(resp, 200,
			json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:o, s:{s:o, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s}}},"
				  " s:[{s:[]}, {s:[]}]}",
				  "openapi", "3.0.3", "info", "title", "nrm API", "version", NRM_VERSION, "description",
				  "National Referral Mechanism information system; see docs/api.md", "x-nrm-roles", all,
				  "paths", paths, "components", "schemas", schemas,
				  "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name", "nrm_session", "description",
				  "the session of a person (POST /api/v1/session); a request that writes sends the reply's csrf "
				  "as the header X-CSRF-Token, or is refused (403 csrf)",
				  "token", "type", "http", "scheme", "bearer", "security", "session", "token"));
}
