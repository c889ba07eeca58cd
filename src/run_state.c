/* run_state.c — the findings already reported: a JSON file, a hash set, atomic saves. */
#include "run_state.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgtime.h"
#include "util.h"

struct finding {
	char *runbook, *step, *key;
	int64_t when;
};

struct run_state {
	struct finding *v;
	size_t n, cap;
	uint32_t *slot; /* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

static uint64_t hash3(const char *a, const char *b, const char *c)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p[3] = { a, b, c };
	for (int i = 0; i < 3; i++) {
		for (const unsigned char *s = (const unsigned char *)p[i]; *s; s++)
			h = (h ^ *s) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	return h;
}

static size_t find(const run_state *st, const char *a, const char *b, const char *c, int *hit)
{
	size_t m = st->nslot - 1, i = (size_t)hash3(a, b, c) & m;
	for (;; i = (i + 1) & m) {
		uint32_t s = st->slot[i];
		*hit = 0;
		if (!s)
			return i;
		const struct finding *f = &st->v[s - 1];
		if (!strcmp(f->key, c) && !strcmp(f->step, b) && !strcmp(f->runbook, a)) {
			*hit = 1;
			return i;
		}
	}
}

int run_state_has(const run_state *st, const char *runbook, const char *step, const char *key)
{
	int hit;
	find(st, runbook, step, key, &hit);
	return hit;
}

static void rehash(run_state *st)
{
	free(st->slot);
	st->nslot = st->nslot ? st->nslot * 2 : 64;
	st->slot = xcalloc(st->nslot, sizeof *st->slot);
	for (size_t k = 0; k < st->n; k++) {
		int hit;
		const struct finding *f = &st->v[k];
		st->slot[find(st, f->runbook, f->step, f->key, &hit)] = (uint32_t)(k + 1);
	}
}

void run_state_add(run_state *st, const char *runbook, const char *step, const char *key,
		   int64_t when)
{
	if ((st->n + 1) * 2 > st->nslot)
		rehash(st);
	int hit;
	size_t i = find(st, runbook, step, key, &hit);
	if (hit)
		return;
	xgrow((void **)&st->v, &st->cap, st->n + 1, sizeof *st->v);
	st->v[st->n] = (struct finding){ xstrdup(runbook), xstrdup(step), xstrdup(key), when };
	st->slot[i] = (uint32_t)++st->n;
}

size_t run_state_count(const run_state *st)
{
	return st->n;
}

static run_state *state_new(void)
{
	run_state *st = xcalloc(1, sizeof *st);
	rehash(st);
	return st;
}

void run_state_free(run_state **stp)
{
	run_state *st = *stp;
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].runbook);
		free(st->v[i].step);
		free(st->v[i].key);
	}
	free(st->v);
	free(st->slot);
	free(st);
	*stp = NULL;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

run_state *run_state_load(const char *path, char *msg, size_t msgn)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) < 0) {
		if (errno == ENOENT)
			return state_new();
		snprintf(msg, msgn, "cannot read: %s", strerror(errno));
		return NULL;
	}
	cJSON *j = cJSON_ParseWithLength(data, len);
	free(data);
	const cJSON *ver = j ? cJSON_GetObjectItemCaseSensitive(j, "version") : NULL;
	const cJSON *rep = j ? cJSON_GetObjectItemCaseSensitive(j, "reported") : NULL;
	if (!j || !cJSON_IsObject(j) || !cJSON_IsNumber(ver) || !cJSON_IsArray(rep)) {
		snprintf(msg, msgn, "not a trailguide state file (expected {\"version\": 1, "
				    "\"reported\": [...]}); move it away to start afresh");
		cJSON_Delete(j);
		return NULL;
	}
	if (ver->valueint != 1) {
		snprintf(msg, msgn, "state version %d is not supported (expected 1)", ver->valueint);
		cJSON_Delete(j);
		return NULL;
	}
	run_state *st = state_new();
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, rep)
	{
		const char *r = str(e, "runbook"), *s = str(e, "step"), *k = str(e, "event");
		const char *w = str(e, "reported");
		int64_t when = 0;
		if (!r || !s || !k || (w && tgtime_parse(w, strlen(w), &when) < 0)) {
			snprintf(msg, msgn, "reported[%d] is not {\"runbook\", \"step\", \"event\", "
					    "\"reported\"}; move the file away to start afresh", i);
			run_state_free(&st);
			break;
		}
		run_state_add(st, r, s, k, when);
		i++;
	}
	cJSON_Delete(j);
	return st;
}

int run_state_save(const run_state *st, const char *path, char *msg, size_t msgn)
{
	cJSON *j = cJSON_CreateObject(), *rep = cJSON_CreateArray();
	cJSON_AddNumberToObject(j, "version", 1);
	cJSON_AddItemToObject(j, "reported", rep);
	for (size_t i = 0; i < st->n; i++) {
		const struct finding *f = &st->v[i];
		cJSON *o = cJSON_CreateObject();
		char t[32];
		cJSON_AddStringToObject(o, "runbook", f->runbook);
		cJSON_AddStringToObject(o, "step", f->step);
		cJSON_AddStringToObject(o, "event", f->key);
		cJSON_AddStringToObject(o, "reported", tgtime_format(f->when, t));
		cJSON_AddItemToArray(rep, o);
	}
	char *text = cJSON_Print(j);
	cJSON_Delete(j);
	sbuf tmp;
	sbuf_init(&tmp);
	sbuf_addf(&tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp.s), rc = -1;
	if (fd < 0) {
		snprintf(msg, msgn, "cannot create %s: %s", tmp.s, strerror(errno));
	} else {
		size_t n = strlen(text), off = 0;
		while (off < n) {
			ssize_t w = write(fd, text + off, n - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		int ok = off == n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (ok && rename(tmp.s, path) == 0)
			rc = 0;
		else {
			snprintf(msg, msgn, "cannot write %s: %s", path, strerror(errno));
			unlink(tmp.s);
		}
	}
	free(text);
	sbuf_free(&tmp);
	return rc;
}
