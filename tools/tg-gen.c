/* tg-gen - deterministic CloudTrail data generator for trailguide.
 *
 *   tg-gen --out DIR [--events N] [--days D] [--end 2026-11-20T00:00:00Z] [--seed S]
 *          [--level 1-9] [--no-incidents] [--truth FILE.md] [--truth-tsv FILE.tsv] [--jobs J]
 *
 * Writes CloudTrail log files the way CloudTrail delivers them to S3 (organization trail
 * layout, gzip, delivery-time folders and stamps, unordered records, a few duplicate
 * deliveries, hourly digest files), plus an optional ground-truth Markdown document for
 * the planted incidents. Same arguments give byte-identical output; --jobs only changes
 * how many processes share the work. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MIN_EXPECTED
#define MIN_EXPECTED 60      /* grow a file's time span until it should hold this many */
#endif
#ifndef MAX_SPAN
#define MAX_SPAN 10800       /* ... or it spans three hours (quiet account-regions) */
#endif
#define DIGEST_HOURS 2

typedef struct {
    int stream;
    int64_t t0, t1;
    uint32_t nbg;
    uint32_t inc_lo, inc_hi;  /* planted events [lo,hi) in the sorted incident list */
    int32_t dup_from;         /* file whose record dup_j is delivered again here, or -1 */
    uint32_t dup_j;
    int digest;               /* compute the SHA-256 of the log for a digest file */
} fplan_t;

typedef struct {
    int64_t deliv, oldest, newest;
    uint64_t nrec, json_bytes, gz_bytes;
    unsigned char sha[32];
    int written, failed;
    char key[256];
} fres_t;

typedef struct {
    int64_t t;
    int kind;     /* 0 background, 1 planted, 2 duplicate */
    uint32_t idx;
} slot_t;

static const char *g_out;
static uint64_t g_seed = 42;
static int g_level = 6;
static int64_t g_end;
static fplan_t *g_files;
static size_t g_nfiles;
static fres_t *g_res;
static incidents_t g_inc;

static void die(const char *msg)
{
    fprintf(stderr, "tg-gen: %s\n", msg);
    exit(2);
}

static int cmp_slot(const void *a, const void *b)
{
    const slot_t *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_inc(const void *a, const void *b)
{
    const inc_ev_t *x = a, *y = b;
    if (x->stream != y->stream)
        return x->stream < y->stream ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return strcmp(x->event_id, y->event_id);
}

static uint64_t rec_seed(size_t f, uint32_t j) { return hash3(g_seed ^ 0xB6B6B6ULL, (uint64_t)f, j); }

static int64_t bg_time(size_t f, uint32_t j, rng_t *r)
{
    const fplan_t *fp = &g_files[f];
    rng_seed(r, rec_seed(f, j));
    return fp->t0 + (int64_t)rng_below(r, (uint32_t)(fp->t1 - fp->t0));
}

static void gen_bg(buf_t *b, size_t f, uint32_t j)
{
    rng_t r;
    int64_t t = bg_time(f, j, &r);
    gen_background(b, g_files[f].stream, t, &r);
}

static void acct_region_path(char *out, size_t n, int stream, const char *kind, int64_t t)
{
    int y, mo, d, h, mi, s;
    civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, n, "AWSLogs/%s/%s/%s/%s/%04d/%02d/%02d/", ORG_ID, ACCT_ID[stream / NREG], kind,
             REGION[stream % NREG], y, mo, d);
}

/* generate and write one log file */
static void write_file(size_t f, buf_t *js, slot_t **slots, size_t *slotcap)
{
    const fplan_t *fp = &g_files[f];
    fres_t *fr = &g_res[f];
    size_t n = fp->nbg + (fp->inc_hi - fp->inc_lo) + (fp->dup_from >= 0);
    if (!n)
        return;
    if (n > *slotcap) {
        *slotcap = n * 2;
        *slots = realloc(*slots, *slotcap * sizeof **slots);
        if (!*slots)
            die("out of memory");
    }
    slot_t *sl = *slots;
    size_t k = 0;
    rng_t r;
    for (uint32_t j = 0; j < fp->nbg; j++) {
        sl[k].t = bg_time(f, j, &r);
        sl[k].kind = 0;
        sl[k++].idx = j;
    }
    for (uint32_t i = fp->inc_lo; i < fp->inc_hi; i++) {
        sl[k].t = g_inc.ev[i].t;
        sl[k].kind = 1;
        sl[k++].idx = i;
    }
    if (fp->dup_from >= 0) {
        sl[k].t = bg_time((size_t)fp->dup_from, fp->dup_j, &r);
        sl[k].kind = 2;
        sl[k++].idx = fp->dup_j;
    }
    qsort(sl, k, sizeof *sl, cmp_slot);
    rng_t fr_rng;
    rng_seed(&fr_rng, hash3(g_seed, (uint64_t)f, 0xF1E5));
    /* CloudTrail files are only roughly ordered */
    for (size_t i = 0; i + 1 < k; i++)
        if (rng_pct(&fr_rng, 2000)) {
            slot_t tmp = sl[i];
            sl[i] = sl[i + 1];
            sl[i + 1] = tmp;
            i++;
        }
    int64_t oldest = INT64_MAX, newest = INT64_MIN;
    js->n = 0;
    bs(js, "{\"Records\":[");
    for (size_t i = 0; i < k; i++) {
        if (i)
            bc(js, ',');
        if (sl[i].t < oldest)
            oldest = sl[i].t;
        if (sl[i].t > newest)
            newest = sl[i].t;
        if (sl[i].kind == 0)
            gen_bg(js, f, sl[i].idx);
        else if (sl[i].kind == 1)
            bs(js, g_inc.ev[sl[i].idx].json);
        else
            gen_bg(js, (size_t)fp->dup_from, sl[i].idx);
    }
    bs(js, "]}");
    int64_t deliv = newest + 120 + (int64_t)rng_below(&fr_rng, 420);
    if (deliv < fp->t1)
        deliv = fp->t1 + 60 + (int64_t)rng_below(&fr_rng, 120);
    char dir[160], uniq[17], stamp[24], path[4096];
    int y, mo, d, h, mi, s;
    civil(deliv, &y, &mo, &d, &h, &mi, &s);
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02dZ", y, mo, d, h, mi);
    mk_alnum(&fr_rng, 16, uniq);
    acct_region_path(dir, sizeof dir, fp->stream, "CloudTrail", deliv);
    snprintf(fr->key, sizeof fr->key, "%s%s_CloudTrail_%s_%s_%s.json.gz", dir, ACCT_ID[fp->stream / NREG],
             REGION[fp->stream % NREG], stamp, uniq);
    snprintf(path, sizeof path, "%s/%s", g_out, fr->key);
    if (write_gz(path, js->p, js->n, g_level, &fr->gz_bytes)) {
        fprintf(stderr, "tg-gen: cannot write %s: %s\n", path, strerror(errno));
        fr->failed = 1;
        return;
    }
    if (fp->digest) {
        sha256_t c;
        sha256_init(&c);
        sha256_update(&c, js->p, js->n);
        sha256_final(&c, fr->sha);
    }
    fr->deliv = deliv;
    fr->oldest = oldest;
    fr->newest = newest;
    fr->nrec = k;
    fr->json_bytes = js->n;
    fr->written = 1;
}

static void worker(int k, int nk)
{
    buf_t js = {0};
    slot_t *slots = NULL;
    size_t cap = 0;
    for (size_t f = (size_t)k; f < g_nfiles; f += (size_t)nk)
        write_file(f, &js, &slots, &cap);
    free(slots);
    bfree(&js);
}

/* ---- planning ------------------------------------------------------------------- */
__extension__ typedef unsigned __int128 u128;

static void plan(long n_bg, int64_t start, int ndupes, int *dupes_out)
{
    uint64_t wtot = 0;
    for (int s = 0; s < NSTREAM; s++)
        wtot += stream_weight(s, start, g_end);
    size_t cap = 1024, ii = 0;
    g_files = malloc(cap * sizeof *g_files);
    u128 cum = 0;
    uint64_t prev = 0;
    for (int s = 0; s < NSTREAM; s++) {
        rng_t r;
        rng_seed(&r, hash3(g_seed, (uint64_t)s, 0xF11E));
        int64_t t = start;
        while (t < g_end) {
            int64_t t1 = t;
            uint64_t w = 0;
            do {
                int64_t step = 300 + (int64_t)rng_below(&r, 601);
                if (t1 + step > g_end)
                    step = g_end - t1;
                w += stream_weight(s, t1, t1 + step);
                t1 += step;
            } while (t1 < g_end && t1 - t < MAX_SPAN &&
                     (u128)w * (u128)n_bg < (u128)MIN_EXPECTED * (u128)wtot);
            if (g_nfiles == cap) {
                cap *= 2;
                g_files = realloc(g_files, cap * sizeof *g_files);
                if (!g_files)
                    die("out of memory");
            }
            fplan_t *fp = &g_files[g_nfiles++];
            memset(fp, 0, sizeof *fp);
            fp->stream = s;
            fp->t0 = t;
            fp->t1 = t1;
            fp->dup_from = -1;
            cum += w;
            uint64_t upto = wtot ? (uint64_t)(cum * (u128)n_bg / wtot) : 0;
            fp->nbg = (uint32_t)(upto - prev);
            prev = upto;
            while (ii < g_inc.n && g_inc.ev[ii].stream == s && g_inc.ev[ii].t < t)
                ii++;
            fp->inc_lo = (uint32_t)ii;
            while (ii < g_inc.n && g_inc.ev[ii].stream == s && g_inc.ev[ii].t < t1)
                ii++;
            fp->inc_hi = (uint32_t)ii;
            fp->digest = s / NREG == 0 && t1 > g_end - (DIGEST_HOURS + 1) * 3600;
            t = t1;
        }
    }
    /* duplicate deliveries: a record of a file delivered again in the next file */
    rng_t r;
    rng_seed(&r, hash3(g_seed, 0xD0D0, 1));
    int made = 0;
    for (int tries = 0; made < ndupes && tries < ndupes * 1000 && g_nfiles > 1; tries++) {
        size_t f = rng_next(&r) % (g_nfiles - 1);
        if (g_files[f].nbg < 2 || g_files[f + 1].stream != g_files[f].stream || g_files[f + 1].dup_from >= 0 ||
            g_files[f + 1].nbg + (g_files[f + 1].inc_hi - g_files[f + 1].inc_lo) == 0)
            continue;
        g_files[f + 1].dup_from = (int32_t)f;
        g_files[f + 1].dup_j = rng_below(&r, g_files[f].nbg);
        made++;
    }
    *dupes_out = made;
}

/* ---- digests -------------------------------------------------------------------- */
static void hexs(const unsigned char *p, int n, char *out)
{
    for (int i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static int write_digests(void)
{
    int count = 0;
    for (int reg = 0; reg < NREG; reg++) {
        int s = reg; /* prod account */
        char prev_key[256] = "", prev_hash[65] = "", prev_sig[513];
        rng_t r;
        rng_seed(&r, hash3(g_seed, 0xD16E, (uint64_t)reg));
        for (int i = 0; i < 256; i++)
            prev_sig[i * 2] = "0123456789abcdef"[rng_below(&r, 16)],
            prev_sig[i * 2 + 1] = "0123456789abcdef"[rng_below(&r, 16)];
        prev_sig[512] = 0;
        char fp[33];
        mk_hex(hash3(g_seed, 0xF9, (uint64_t)reg), 32, fp);
        for (int hr = DIGEST_HOURS; hr >= 1; hr--) {
            int64_t d0 = g_end - hr * 3600, d1 = d0 + 3600;
            buf_t b = {0};
            char ts[24], dir[160], key[256], path[4096];
            int64_t oldest = INT64_MAX, newest = INT64_MIN;
            buf_t lf = {0};
            int nlf = 0;
            for (size_t f = 0; f < g_nfiles; f++) {
                const fres_t *fr = &g_res[f];
                if (g_files[f].stream != s || !fr->written || fr->deliv < d0 || fr->deliv >= d1)
                    continue;
                char hx[65], o[24], nw[24];
                hexs(fr->sha, 32, hx);
                iso(fr->oldest, o);
                iso(fr->newest, nw);
                if (nlf++)
                    bc(&lf, ',');
                bf(&lf, "{\"s3Bucket\":\"%s\",\"s3Object\":\"%s\",\"hashValue\":\"%s\",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\"}",
                   TRAIL_BUCKET, fr->key, hx, nw, o);
                if (fr->oldest < oldest)
                    oldest = fr->oldest;
                if (fr->newest > newest)
                    newest = fr->newest;
            }
            int y, mo, d, h, mi, se;
            int64_t dt = d1 + 300 + (int64_t)rng_below(&r, 600);
            civil(dt, &y, &mo, &d, &h, &mi, &se);
            acct_region_path(dir, sizeof dir, s, "CloudTrail-Digest", dt);
            snprintf(key, sizeof key, "%s%s_CloudTrail-Digest_%s_org-trail_us-east-1_%04d%02d%02dT%02d%02d%02dZ.json.gz",
                     dir, ACCT_ID[0], REGION[reg], y, mo, d, h, mi, se);
            iso(d0, ts);
            bf(&b, "{\"awsAccountId\":\"%s\",\"digestStartTime\":\"%s\",", ACCT_ID[0], ts);
            iso(d1, ts);
            bf(&b, "\"digestEndTime\":\"%s\",\"digestS3Bucket\":\"%s\",\"digestS3Object\":\"%s\",", ts, TRAIL_BUCKET,
               key);
            bf(&b, "\"digestPublicKeyFingerprint\":\"%s\",\"digestSignatureAlgorithm\":\"SHA256withRSA\",", fp);
            if (nlf) {
                char o[24], nw[24];
                iso(newest, nw);
                iso(oldest, o);
                bf(&b, "\"newestEventTime\":\"%s\",\"oldestEventTime\":\"%s\",", nw, o);
            } else
                bs(&b, "\"newestEventTime\":null,\"oldestEventTime\":null,");
            if (!prev_key[0]) {
                /* the digest before the window: its object name and hash are made up */
                char ph[65];
                int64_t pt = d0 + 300;
                civil(pt, &y, &mo, &d, &h, &mi, &se);
                acct_region_path(dir, sizeof dir, s, "CloudTrail-Digest", pt);
                snprintf(prev_key, sizeof prev_key,
                         "%s%s_CloudTrail-Digest_%s_org-trail_us-east-1_%04d%02d%02dT%02d%02d%02dZ.json.gz", dir,
                         ACCT_ID[0], REGION[reg], y, mo, d, h, mi, se);
                mk_hex(rng_next(&r), 64, ph);
                memcpy(prev_hash, ph, 65);
            }
            bf(&b, "\"previousDigestS3Bucket\":\"%s\",\"previousDigestS3Object\":\"%s\",", TRAIL_BUCKET, prev_key);
            bf(&b, "\"previousDigestHashValue\":\"%s\",\"previousDigestHashAlgorithm\":\"SHA-256\",", prev_hash);
            bs(&b, "\"previousDigestSignature\":\"");
            bs(&b, prev_sig);
            bs(&b, "\",\"logFiles\":[");
            if (lf.n)
                bput(&b, lf.p, lf.n);
            bs(&b, "]}");
            snprintf(path, sizeof path, "%s/%s", g_out, key);
            if (write_gz(path, b.p, b.n, g_level, NULL)) {
                fprintf(stderr, "tg-gen: cannot write %s\n", path);
                return -1;
            }
            count++;
            /* chain: this digest becomes the previous one */
            sha256_t c;
            unsigned char hsh[32];
            sha256_init(&c);
            sha256_update(&c, b.p, b.n);
            sha256_final(&c, hsh);
            hexs(hsh, 32, prev_hash);
            snprintf(prev_key, sizeof prev_key, "%s", key);
            for (int i = 0; i < 512; i++)
                prev_sig[i] = "0123456789abcdef"[rng_below(&r, 16)];
            bfree(&b);
            bfree(&lf);
        }
    }
    return count;
}

static void usage(void)
{
    fputs("usage: tg-gen --out DIR [--events N] [--days D] [--end 2026-11-20T00:00:00Z] [--seed S]\n"
          "              [--level 1-9] [--no-incidents] [--truth FILE.md] [--truth-tsv FILE.tsv] [--jobs J]\n"
          "Writes synthetic CloudTrail log files in the S3 delivery layout under DIR.\n"
          "Defaults: 24000 events over 15 days ending 2026-11-20T00:00:00Z, seed 42, level 6,\n"
          "incidents planted. Same arguments give byte-identical output.\n",
          stderr);
}

int main(int argc, char **argv)
{
    long events = -1;
    int days = 15, incidents = 1, jobs = 0;
    const char *truth = NULL, *truth_tsv = NULL;
    parse_iso("2026-11-20T00:00:00Z", &g_end);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *e = NULL;
        if (!strcmp(a, "--no-incidents")) {
            incidents = 0;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (!v) {
            usage();
            return 2;
        }
        i++;
        if (!strcmp(a, "--out"))
            g_out = v;
        else if (!strcmp(a, "--events"))
            events = strtol(v, &e, 10);
        else if (!strcmp(a, "--days"))
            days = (int)strtol(v, &e, 10);
        else if (!strcmp(a, "--seed"))
            g_seed = strtoull(v, &e, 10);
        else if (!strcmp(a, "--level"))
            g_level = (int)strtol(v, &e, 10);
        else if (!strcmp(a, "--jobs"))
            jobs = (int)strtol(v, &e, 10);
        else if (!strcmp(a, "--truth"))
            truth = v;
        else if (!strcmp(a, "--truth-tsv"))
            truth_tsv = v;
        else if (!strcmp(a, "--end")) {
            if (parse_iso(v, &g_end))
                die("--end wants 2026-11-20T00:00:00Z");
        } else {
            usage();
            return 2;
        }
        if (e && *e)
            die("bad number");
    }
    if (!g_out) {
        usage();
        return 2;
    }
    if (events < 0)
        events = 24000;
    if (days < 1 || days > 400 || g_level < 1 || g_level > 9 || events > 50000000)
        die("--days 1..400, --level 1..9, --events up to 50000000");
    if (incidents && days < 14)
        die("the planted incidents need --days 14 or more (or --no-incidents)");
    int64_t start = g_end - (int64_t)days * 86400;
    struct timespec ts0;
    clock_gettime(CLOCK_MONOTONIC, &ts0); /* only for the progress report */

    world_init();
    if (incidents)
        plant_incidents(&g_inc, start, g_end, g_seed);
    if (g_inc.n) /* qsort must not be given a NULL array, even an empty one */
        qsort(g_inc.ev, g_inc.n, sizeof *g_inc.ev, cmp_inc);
    if ((long)g_inc.n > events)
        die("--events is smaller than the number of planted events");
    long n_bg = events - (long)g_inc.n;
    int ndupes = 0;
    plan(n_bg, start, 5 + (int)(events / 200000), &ndupes);

    g_res = mmap(NULL, g_nfiles * sizeof *g_res, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (g_res == MAP_FAILED)
        die("mmap failed");
    if (jobs <= 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = nc < 1 ? 1 : nc > 8 ? 8 : (int)nc;
    }
    if (jobs == 1 || g_nfiles < 64) {
        worker(0, 1);
    } else {
        pid_t pids[64];
        int nk = jobs > 64 ? 64 : jobs;
        fflush(NULL);
        for (int k = 0; k < nk; k++) {
            pids[k] = fork();
            if (pids[k] < 0)
                die("fork failed");
            if (pids[k] == 0) {
                worker(k, nk);
                _exit(0);
            }
        }
        int bad = 0;
        for (int k = 0; k < nk; k++) {
            int st;
            if (waitpid(pids[k], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
                bad = 1;
        }
        if (bad)
            die("a worker failed");
    }
    uint64_t json = 0, gz = 0, recs = 0;
    int files = 0;
    for (size_t f = 0; f < g_nfiles; f++) {
        if (g_res[f].failed)
            die("writing failed");
        if (!g_res[f].written)
            continue;
        files++;
        json += g_res[f].json_bytes;
        gz += g_res[f].gz_bytes;
        recs += g_res[f].nrec;
    }
    int digests = write_digests();
    if (digests < 0)
        return 2;
    if (truth) {
        /* the duplicated records' event IDs, regenerated from their seeds */
        char(*dup_ids)[37] = calloc((size_t)ndupes + 1, 37);
        int nd = 0;
        buf_t b = {0};
        for (size_t f = 0; f < g_nfiles && dup_ids; f++) {
            if (g_files[f].dup_from < 0 || !g_res[f].written)
                continue;
            b.n = 0;
            gen_bg(&b, (size_t)g_files[f].dup_from, g_files[f].dup_j);
            const char *p = strstr(b.p, "\"eventID\":\"");
            if (p && nd < ndupes)
                snprintf(dup_ids[nd++], 37, "%.36s", p + 11);
        }
        bfree(&b);
        if (!dup_ids || write_truth(truth, &g_inc, start, g_end, g_seed, events, days, dup_ids, nd, digests, files, gz))
            die("cannot write the truth document");
        free(dup_ids);
    }
    if (truth_tsv && write_truth_tsv(truth_tsv, &g_inc))
        die("cannot write the truth TSV");
    struct timespec ts1;
    clock_gettime(CLOCK_MONOTONIC, &ts1);
    double secs = (double)(ts1.tv_sec - ts0.tv_sec) + (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e9;
    fprintf(stderr,
            "tg-gen: %ld events (%llu records with %d duplicate deliveries, %zu planted) in %d files + %d digests; "
            "JSON %.1f MB, gzip %.2f MB (avg record %llu B); %.1f s with %d jobs\n",
            events, (unsigned long long)recs, ndupes, g_inc.n, files, digests, (double)json / 1e6, (double)gz / 1e6,
            (unsigned long long)(recs ? json / recs : 0), secs, jobs);
    return 0;
}
