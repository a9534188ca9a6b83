#include <sqlite3.h>
#include "CSQLiteSetup.h"

int binnacle_sqlite_without_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
