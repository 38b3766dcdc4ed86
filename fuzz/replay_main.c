/*
 * replay_main.c: run a fuzz target's LLVMFuzzerTestOneInput on saved
 * inputs, without libFuzzer (any C compiler; `make test` runs it).
 *
 *   build/fuzz-replay/NAME [FILE|DIR]...
 *
 * With no arguments it replays fuzz/NAME.in/ and fuzz/NAME.repro/ (NAME is
 * compiled in as FUZZ_TARGET; FUZZ_DIR overrides the fuzz/ directory). Each
 * input runs in a child process with a time limit, so an input that
 * crashes, fails a check (abort) or hangs counts as one failure and the
 * rest still run. Prints one line per failure, then "N passed, N failed";
 * exits 1 when anything failed.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET='\"name\"'"
#endif

/* libFuzzer's default -timeout is 1200 s; replay inputs are small and a
 * seed that takes this long is a bug worth a failure. */
#define REPLAY_SECONDS_PER_INPUT 10

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct replay_counts {
	int passed;
	int failed;
};

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t cap = 0, len = 0, n;

	if (!file)
		return NULL;
	do {
		if (len == cap) {
			unsigned char *grown = realloc(data, cap ? cap * 2 : 65536);

			if (!grown) {
				free(data);
				fclose(file);
				return NULL;
			}
			data = grown;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(data + len, 1, cap - len, file);
		len += n;
	} while (n > 0);
	if (ferror(file)) {
		free(data);
		data = NULL;
	}
	fclose(file);
	*size = len;
	return data;
}

static void replay_file(const char *path, struct replay_counts *counts)
{
	size_t size = 0;
	unsigned char *data = read_file(path, &size);
	pid_t child;
	int status;

	if (!data) {
		printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
		counts->failed++;
		return;
	}
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0) {
		printf("FAIL %s: fork: %s\n", path, strerror(errno));
		counts->failed++;
		free(data);
		return;
	}
	if (child == 0) {
		/* The copy keeps ASan's bounds exact at the input's end, as
		 * libFuzzer does. */
		unsigned char *copy = malloc(size ? size : 1);

		alarm(REPLAY_SECONDS_PER_INPUT);
		if (!copy)
			_exit(2);
		memcpy(copy, data, size);
		LLVMFuzzerTestOneInput(copy, size);
		free(copy);
		free(data);
		_exit(0);
	}
	free(data);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		counts->passed++;
		return;
	}
	counts->failed++;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("FAIL %s: over %d s\n", path, REPLAY_SECONDS_PER_INPUT);
	else if (WIFSIGNALED(status))
		printf("FAIL %s: killed by signal %d (%s)\n", path, WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
	else
		printf("FAIL %s: exit status %d\n", path, WEXITSTATUS(status));
}

static int visible(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

/* A file, or every file of a directory in name order (not recursive). */
static void replay_path(const char *path, int must_exist, struct replay_counts *counts)
{
	struct dirent **names;
	struct stat st;
	int n;

	if (stat(path, &st) != 0) {
		if (must_exist) {
			printf("FAIL %s: %s\n", path, strerror(errno));
			counts->failed++;
		}
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path, counts);
		return;
	}
	n = scandir(path, &names, visible, alphasort);
	if (n < 0) {
		printf("FAIL %s: %s\n", path, strerror(errno));
		counts->failed++;
		return;
	}
	for (int i = 0; i < n; i++) {
		char *file;

		size_t len = strlen(path);
		int slash = len > 0 && path[len - 1] == '/';

		if (asprintf(&file, "%s%s%s", path, slash ? "" : "/", names[i]->d_name) >= 0) {
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
				replay_file(file, counts);
			free(file);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	struct replay_counts counts = { 0, 0 };

	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "usage: %s [FILE|DIR]...\n(no arguments: fuzz/%s.in and "
				"fuzz/%s.repro)\n", argv[0], FUZZ_TARGET, FUZZ_TARGET);
		return 2;
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			replay_path(argv[i], 1, &counts);
	} else {
		const char *dir = getenv("FUZZ_DIR");
		char *seeds, *repros;

		if (!dir || !*dir)
			dir = "fuzz";
		if (asprintf(&seeds, "%s/%s.in", dir, FUZZ_TARGET) < 0 ||
		    asprintf(&repros, "%s/%s.repro", dir, FUZZ_TARGET) < 0)
			return 2;
		replay_path(seeds, 1, &counts);
		replay_path(repros, 0, &counts);
		free(seeds);
		free(repros);
	}
	printf("%d passed, %d failed\n", counts.passed, counts.failed);
	return counts.failed ? 1 : 0;
}
