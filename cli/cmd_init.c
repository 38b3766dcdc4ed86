/* cmd_init.c: vigil init */
#include "cli.h"

#include "../archive/archive.h"

int cmd_init(const struct cli_command *command, struct cli_args_parsed *args)
{
	const char *data_dir = cli_data_dir(command, args);
	struct vigil_error err = { 0 };

	if (archive_data_init(data_dir, &err) != VIGIL_OK)
		return cli_fail_index(command, data_dir, &err);
	printf("vigil data directory ready at %s\n", data_dir);
	return CLI_OK;
}
