/* runbook_lib.h — the runbook library: the search path, loading every runbook, shadowing. */
#ifndef TG_RUNBOOK_LIB_H
#define TG_RUNBOOK_LIB_H

#include "runbook.h"
#include "util.h"

/* The search path in order: each --runbooks DIR, ./runbooks, $XDG_CONFIG_HOME/trailguide/
 * runbooks (~/.config when unset), $(pkgdatadir)/runbooks. Only directories that exist
 * are kept, except the explicit ones (the caller checks those). Returns the count; *dirs
 * is a NULL-terminated array the caller frees with rblib_dirs_free. */
int rblib_search_path(char *const *extra, int nextra, char ***dirs);
void rblib_dirs_free(char **dirs);

typedef struct rblib {
	runbook **v;     /* loaded runbooks, search-path order, shadowed ones dropped */
	int *dir;        /* the index of the directory each came from */
	int n;
	int errors;      /* runbooks that failed to parse */
} rblib;

/* Load every runbook (*.md below each dir, recursively, skipping dot entries, lists/ and
 * README.md; sorted by path). Parse errors go to diag. A runbook whose id an earlier
 * directory already has is dropped and reported in shadow as "ID in B is shadowed by A";
 * the same id twice in one directory is a parse-level error in diag. */
rblib *rblib_load(char *const *dirs, int ndirs, sbuf *diag, sbuf *shadow);
void rblib_free(rblib **lib);
const runbook *rblib_find(const rblib *lib, const char *id);

/* Collect the runbook files below one directory (or the path itself when it is a file)
 * into *files (sorted, NULL-terminated; count returned; -1 when path does not exist). */
int rblib_files(const char *path, char ***files);

/* Directories whose lists/ a runbook file sees: the nearest ancestor directory of path
 * that has a lists/ folder (if any). Returns a malloc'd path or NULL. */
char *rblib_lists_root(const char *path);

/* The directories to load lists/ from: the lists root of each path (rblib_lists_root),
 * then each search-path dir, without repeats (compared by real path). NULL-terminated;
 * free with rblib_dirs_free. */
int rblib_lists_dirs(char *const *paths, int npaths, char *const *search, int nsearch,
		     char ***out);

/* 1 if p is a directory. */
int rblib_is_dir(const char *p);

#endif
