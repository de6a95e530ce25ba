/* Functions nrm does not call, as git's banned.h: each has a safer replacement, or is not
 * safe in a server with a thread per connection (the list of curl's checksrc and more).
 * The Makefile includes this header before every source file of src/; a call to one of
 * these fails to compile with "sorry_X_is_a_banned_function".
 *
 *   strcpy, strcat, strncpy, strncat, sprintf, vsprintf  → snprintf, struct buf (core/buf.h)
 *   gets                                                → fgets
 *   strtok                                              → strcspn / strtok_r
 *   localtime, gmtime, ctime, asctime                   → core/date.h, core/clock.h (gmtime_r)
 *   strerror                                            → strerror_r
 *   rand, srand                                         → randombytes_buf (libsodium)
 *   access                                              → open with O_EXCL / the open itself
 *   tmpnam, tempnam, mktemp                             → mkstemp
 *   atoi, atol, atoll                                   → strtol, strtoll (which report errors)
 */
#ifndef NRM_CORE_BANNED_H
#define NRM_CORE_BANNED_H

/* The declarations first, so the macros below do not rewrite them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef strerror
#define strerror(e) BANNED(strerror)
#undef rand
#define rand() BANNED(rand)
#undef srand
#define srand(s) BANNED(srand)
#undef access
#define access(p, m) BANNED(access)
#undef tmpnam
#define tmpnam(s) BANNED(tmpnam)
#undef tempnam
#define tempnam(d, p) BANNED(tempnam)
#undef mktemp
#define mktemp(t) BANNED(mktemp)
#undef atoi
#define atoi(s) BANNED(atoi)
#undef atol
#define atol(s) BANNED(atol)
#undef atoll
#define atoll(s) BANNED(atoll)

#endif
