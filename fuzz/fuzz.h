/* What the libFuzzer harnesses of fuzz/ share: a demo database (as `nrm init --demo` makes it)
 * made once and kept in build/fuzz/, a working copy of it per process that a harness may write
 * to and restore, and the context of a demo user acting on it. Harness code only; never linked
 * into nrm. */
#ifndef NRM_FUZZ_FUZZ_H
#define NRM_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

/* Makes the demo database if build/fuzz/ has none (with the demo cases when `cases`) and opens
 * a working copy of it; the clock is set to a fixed day first (NRM_NOW) so runs repeat. Aborts
 * on failure: a harness without its database has nothing to fuzz. */
void fuzz_db_init(bool cases);
/* The working copy's file name (for a harness that opens connections of its own). */
const char *fuzz_db_path(void);
/* The open working copy (form, labels, figures' definitions and keys loaded). */
struct cli_db *fuzz_db(void);
/* Throws away whatever the last inputs wrote: the working copy becomes the demo database again
 * and is reopened. Pointers into the previous fuzz_db() (form, labels) are then stale. */
void fuzz_db_reset(void);
/* The context of demo user `as` on the working copy (*p and *c filled, c->me = p). */
void fuzz_act(const char *as, struct principal *p, struct nrm_ctx *c);
/* Sends stdout and the harness's own stderr chatter (nrm's one-line messages) to /dev/null;
 * libFuzzer and the sanitizers keep their own copy of stderr (-close_fd_mask is not needed). */
void fuzz_quiet(void);

/* A NUL-terminated copy of data[0..n) (malloc'd; abort on failure). */
char *fuzz_strndup(const uint8_t *data, size_t n);

#endif
