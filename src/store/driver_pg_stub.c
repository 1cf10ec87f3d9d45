/* Placeholder until driver_pg.c lands (this session's merge removes it). */
#include "driver.h"
const struct db_driver db_driver_pg = {.name = "postgresql", .backend = DB_PG};
