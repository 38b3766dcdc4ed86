/* config.c: where the shipped configuration lives. */
#include "config.h"

#include <stdlib.h>

#ifndef VIGIL_CONFIG_DIR
#define VIGIL_CONFIG_DIR "config"
#endif

const char *config_default_dir(void)
{
	const char *dir = getenv("VIGIL_CONFIG_DIR");

	return dir && *dir ? dir : VIGIL_CONFIG_DIR;
}
