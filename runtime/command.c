/*
 * command.c - a command's output and exit status (command.h).
 *
 * fork and execvp, not popen: no shell sees the arguments, and the exit
 * status comes back whole.
 */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int command_run(const char *const argv[], char *out, size_t outlen)
{
	int fd[2];
	if (pipe(fd) != 0)
		return 127;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return 127;
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		execvp(argv[0], (char *const *)argv);   /* exec does not write them */
		/* the child, which could not run the command: 127, as a shell
		 * says; _exit, as the parent's stdio buffers are not ours */
		_exit(127);
	}
	close(fd[1]);
	size_t n = 0;
	for (;;) {
		char scratch[4096];
		char *to = n + 1 < outlen ? out + n : scratch;
		size_t room = n + 1 < outlen ? outlen - 1 - n : sizeof(scratch);
		ssize_t r = read(fd[0], to, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (to != scratch)
			n += (size_t)r;
	}
	out[n < outlen ? n : outlen - 1] = '\0';
	close(fd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

char *command_output(const char *const argv[], size_t max, int *rc)
{
	char *buf = malloc(max);
	if (!buf) {
		*rc = 127;
		return NULL;
	}
	*rc = command_run(argv, buf, max);
	return buf;
}
