#include <stdlib.h>  // first: it says which C library this is (__GLIBC__)
#include <sqlite3.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "CProcessSetup.h"

int binnacle_sqlite_without_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void binnacle_malloc_one_arena(void) {
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, 1);
#endif
}
