/* material_print.h: how search and show print a material. */
#ifndef VIGIL_MATERIAL_PRINT_H
#define VIGIL_MATERIAL_PRINT_H

#include <stdio.h>

#include "../archive/archive.h"

/* The JSON fields every material has in search and show output. */
void material_print_json_fields(FILE *out, int *first, const struct archive_material *m);
/* snippets: print each material's snippet on a line of its own below it. */
void material_print_table(FILE *out, const struct archive_material *items, size_t count,
			  int snippets);

#endif
