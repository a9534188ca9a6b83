import BinnacleCLI
import CProcessSetup

// Before any connection and any thread (see CProcessSetup). The inventory also turns SQLite's memory
// statistics off before its first connection, for programs other than this one (the tests).
_ = binnacle_sqlite_without_memory_statistics()
binnacle_malloc_one_arena()

Binnacle.mainNamingUnknownCommands()
