#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics for the process (sqlite3_config, which Swift cannot call: it is
/// variadic). With them on, every allocation SQLite makes takes one process-wide lock, and the KPI sweep's
/// two connections, reading on two threads at once, wait for each other on it. Only takes effect before
/// SQLite is initialised (the first connection opened); returns SQLite's result code.
int binnacle_sqlite_without_memory_statistics(void);

#endif
