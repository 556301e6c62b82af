/* Small helpers on struct req. */
#include "http/req.h"

void req_add_header(struct req *rq, const char *name, const char *value)
{
	if (rq->n_resp_headers >= RESP_MAX_HEADERS)
		return;
	rq->resp_headers[rq->n_resp_headers].name = name;
	rq->resp_headers[rq->n_resp_headers].value = value;
	rq->n_resp_headers++;
}

void req_finish(struct req *rq)
{
	rq->resume(rq);
}

const char *http_method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_POST: return "POST";
	case HTTP_DELETE: return "DELETE";
	case HTTP_PUT: return "PUT";
	case HTTP_PATCH: return "PATCH";
	default: return "OTHER";
	}
}
