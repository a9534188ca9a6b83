#ifndef CPROCESSSETUP_H
#define CPROCESSSETUP_H

/// Process-wide settings that only C can make, applied first thing in `main`.

/// Turns off SQLite's memory statistics for the process (sqlite3_config, which Swift cannot call: it is
/// variadic). With them on, every allocation SQLite makes takes one process-wide lock, and the KPI sweep's
/// two connections, reading on two threads at once, wait for each other on it. Only takes effect before
/// SQLite is initialised (the first connection opened); returns SQLite's result code.
int binnacle_sqlite_without_memory_statistics(void);

/// One malloc arena for every thread (glibc; elsewhere nothing). The dashboard derives a date's lists and
/// its trend on background threads, and glibc would give each thread an arena of its own, whose freed pages
/// stay mapped: one keeps peak memory within the 64 MB budget at 50,000 models, in the same time (those
/// threads spend it in SQLite, not in malloc).
void binnacle_malloc_one_arena(void);

#endif
