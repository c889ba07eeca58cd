/* runbook_lib.c — the runbook library: the search path, loading every runbook, shadowing. */
#include "runbook_lib.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "esc.h"

#ifndef TG_PKGDATADIR
#define TG_PKGDATADIR "/usr/local/share/trailguide"
#endif

int rblib_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void push(char ***v, int *n, char *s)
{
	*v = xrealloc(*v, (size_t)(*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

/* Is dir (by its real path) one of v[0..n)? The same directory named twice (--runbooks
 * runbooks from the source tree, which ./runbooks also names) is searched once. */
static int seen_dir(char *const *v, int n, const char *dir)
{
	char *rd = realpath(dir, NULL);
	int seen = 0;
	for (int i = 0; rd && i < n && !seen; i++) {
		char *ri = realpath(v[i], NULL);
		seen = ri && !strcmp(ri, rd);
		free(ri);
	}
	free(rd);
	return seen;
}

int rblib_search_path(char *const *extra, int nextra, char ***dirs)
{
	char **v = NULL;
	int n = 0;
	push(&v, &n, NULL);
	n = 0;
	for (int i = 0; i < nextra; i++)
		if (!seen_dir(v, n, extra[i]))
			push(&v, &n, xstrdup(extra[i]));
	sbuf b;
	sbuf_init(&b);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		sbuf_addf(&b, "%s/trailguide/runbooks", xdg);
	else if (home && *home)
		sbuf_addf(&b, "%s/.config/trailguide/runbooks", home);
	const char *cand[] = { "runbooks", b.s, TG_PKGDATADIR "/runbooks" };
	for (int i = 0; i < 3; i++)
		if (cand[i] && rblib_is_dir(cand[i]) && !seen_dir(v, n, cand[i]))
			push(&v, &n, xstrdup(cand[i]));
	sbuf_free(&b);
	*dirs = v;
	return n;
}

void rblib_dirs_free(char **dirs)
{
	if (!dirs)
		return;
	for (int i = 0; dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, int depth, char ***v, int *n)
{
	if (depth > 16)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (depth == 0 && !strcmp(e->d_name, "lists")))
			continue;
		sbuf p;
		sbuf_init(&p);
		sbuf_addf(&p, "%s/%s", dir, e->d_name);
		size_t nl = strlen(e->d_name);
		if (rblib_is_dir(p.s)) {
			walk(p.s, depth + 1, v, n);
		} else if (nl > 3 && !strcmp(e->d_name + nl - 3, ".md") &&
			   strcasecmp(e->d_name, "README.md")) {
			push(v, n, sbuf_take(&p));
		}
		sbuf_free(&p);
	}
	closedir(d);
}

int rblib_files(const char *path, char ***files)
{
	char **v = NULL;
	int n = 0;
	struct stat st;
	if (stat(path, &st) < 0) {
		*files = NULL;
		return -1;
	}
	push(&v, &n, NULL);
	n = 0;
	if (S_ISDIR(st.st_mode)) {
		size_t l = strlen(path);
		char *base = xstrndup(path, l);
		while (l > 1 && base[l - 1] == '/')
			base[--l] = 0;
		walk(base, 0, &v, &n);
		free(base);
	} else {
		push(&v, &n, xstrdup(path));
	}
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	*files = v;
	return n;
}

rblib *rblib_load(char *const *dirs, int ndirs, sbuf *diag, sbuf *shadow)
{
	rblib *lib = xcalloc(1, sizeof *lib);
	for (int d = 0; d < ndirs; d++) {
		char **files;
		int nf = rblib_files(dirs[d], &files);
		for (int i = 0; i < nf; i++) {
			runbook *rb = runbook_load(files[i], diag);
			if (!rb) {
				lib->errors++;
				continue;
			}
			int dup = -1;
			for (int k = 0; k < lib->n && dup < 0; k++)
				if (!strcmp(lib->v[k]->id, rb->id))
					dup = k;
			if (dup >= 0 && lib->dir[dup] == d) {
				runbook_diag(diag, rb->path, rb->key_line[RBK_ID], 1, "error",
					     "id '%s' is also the id of %s", rb->id, lib->v[dup]->path);
				lib->errors++;
				runbook_free(&rb);
			} else if (dup >= 0) {
				sbuf m;
				sbuf_init(&m);
				sbuf_addf(&m, "%s in %s is shadowed by %s", rb->id, rb->path,
					  lib->v[dup]->path);
				esc_term(shadow, m.s, m.len);
				sbuf_addc(shadow, '\n');
				sbuf_free(&m);
				runbook_free(&rb);
			} else {
				lib->v = xrealloc(lib->v, (size_t)(lib->n + 1) * sizeof *lib->v);
				lib->dir = xrealloc(lib->dir, (size_t)(lib->n + 1) * sizeof *lib->dir);
				lib->v[lib->n] = rb;
				lib->dir[lib->n++] = d;
			}
		}
		rblib_dirs_free(files);
	}
	return lib;
}

void rblib_free(rblib **libp)
{
	rblib *lib = *libp;
	if (!lib)
		return;
	for (int i = 0; i < lib->n; i++)
		runbook_free(&lib->v[i]);
	free(lib->v);
	free(lib->dir);
	free(lib);
	*libp = NULL;
}

const runbook *rblib_find(const rblib *lib, const char *id)
{
	for (int i = 0; i < lib->n; i++)
		if (!strcmp(lib->v[i]->id, id))
			return lib->v[i];
	return NULL;
}

char *rblib_lists_root(const char *path)
{
	/* walk up the path as written (a relative path stops at the working directory) */
	char *d = xstrdup(path);
	size_t l = strlen(d);
	while (l > 1 && d[l - 1] == '/')
		d[--l] = 0;
	if (!rblib_is_dir(d)) {
		char *s = strrchr(d, '/');
		if (s && s != d)
			*s = 0;
		else if (s)
			s[1] = 0;
		else
			strcpy(d, ".");
	}
	for (int depth = 0; depth < 256; depth++) {
		sbuf p;
		sbuf_init(&p);
		sbuf_addf(&p, "%s/lists", d);
		int ok = rblib_is_dir(p.s);
		sbuf_free(&p);
		if (ok)
			return d;
		char *s = strrchr(d, '/');
		if (s && s != d)
			*s = 0;
		else
			break;
	}
	free(d);
	return NULL;
}

static void push_unique(char ***v, int *n, char *d)
{
	char a[PATH_MAX], b[PATH_MAX];
	const char *ra = realpath(d, a) ? a : d;
	for (int i = 0; i < *n; i++) {
		const char *rb = realpath((*v)[i], b) ? b : (*v)[i];
		if (!strcmp(ra, rb)) {
			free(d);
			return;
		}
	}
	push(v, n, d);
}

int rblib_lists_dirs(char *const *paths, int npaths, char *const *search, int nsearch,
		     char ***out)
{
	char **v = NULL;
	int n = 0;
	push(&v, &n, NULL);
	n = 0;
	for (int i = 0; i < npaths; i++) {
		char *r = rblib_lists_root(paths[i]);
		if (r)
			push_unique(&v, &n, r);
	}
	for (int i = 0; i < nsearch; i++)
		push_unique(&v, &n, xstrdup(search[i]));
	*out = v;
	return n;
}
