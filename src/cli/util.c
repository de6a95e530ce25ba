/* Option parsing and resource look-up shared by the subcommands. */
#include "cli/cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_error(const char *cmd, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "nrm %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

int cli_exit_of(int rc)
{
	switch (rc) {
	case NRM_OK: return EXIT_OK;
	case NRM_EINVAL: case NRM_EEXIST: case NRM_ENOTFOUND: case NRM_EVERSION: return EXIT_USAGE;
	default: return EXIT_RUNTIME;
	}
}

int cli_fail(const char *cmd, const struct nrm_err *err)
{
	return cli_error(cmd, cli_exit_of(err->code), "%s", err->msg[0] ? err->msg : nrm_key_text(nrm_key_of_code(err->code)));
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts)
{
	if (cli_wants_help(argc, argv)) {
		cli_help(cmd);
		return CLI_HELPED;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt *o = NULL;
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		if (strncmp(a, "--", 2) == 0)
			for (const struct cli_opt *p = opts; p->name; p++)
				if (strlen(p->name) == n - 2 && strncmp(p->name, a + 2, n - 2) == 0)
					o = p;
		if (!o)
			return cli_error(cmd, EXIT_USAGE, a[0] == '-' ? "unknown option %s (see nrm --help)"
								       : "unexpected argument %s (see nrm --help)", a);
		if (o->flag) {
			if (eq)
				return cli_error(cmd, EXIT_USAGE, "option --%s takes no value", o->name);
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_error(cmd, EXIT_USAGE, "option --%s needs a value", o->name);
		}
	}
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *cli_resource_dir(const char *given, const char *name)
{
	if (given)
		return is_dir(given) ? strdup(given) : NULL;
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/../%s", exe, name);
			if (is_dir(path))
				return realpath(path, NULL);
		}
	}
	if (is_dir(name))
		return realpath(name, NULL);
	snprintf(path, sizeof path, "/usr/share/nrm/%s", name);
	return is_dir(path) ? strdup(path) : NULL;
}

int cli_load_json(const char *dir, const char *file, json_t **out, struct nrm_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return nrm_fail_file(err, NRM_EINVAL, path, "%s (line %d)", je.text, je.line);
	if (!json_is_object(j)) {
		json_decref(j);
		return nrm_fail_file(err, NRM_EINVAL, path, "not a JSON object");
	}
	*out = j;
	return 0;
}

int cli_write_out(const char *cmd, const char *path, const char *data, size_t len)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return cli_error(cmd, EXIT_RUNTIME, "cannot write %s", path);
	bool ok = fwrite(data, 1, len, f) == len;
	ok &= path ? fclose(f) == 0 : fflush(f) == 0;
	return ok ? EXIT_OK : cli_error(cmd, EXIT_RUNTIME, "cannot write %s", path ? path : "standard output");
}
